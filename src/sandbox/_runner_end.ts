import { ErrorCode, LauncherError } from "../sdk/mod.ts";

/** What the host knows about a runner that has exited. */
export interface RunnerEnd {
  pluginName: string;
  instanceKey: string;
  status: Deno.CommandStatus;
  /** The crash the runner reported, when it did (see `describeCrash`). */
  crash?: string | undefined;
  /** Why the runner's stdout stopped being frames, when it did. */
  broken?: string | undefined;
}

/** How the runner ended: `crashed: …`, `signal SIGKILL` or `exit code 1`. */
export function describeRunnerEnd(end: RunnerEnd): string {
  if (end.crash !== undefined) return `crashed: ${end.crash}`;
  return end.status.signal ? `signal ${end.status.signal}` : `exit code ${end.status.code}`;
}

/** The PluginRestarted error every call still in flight when the runner ended fails with. */
export function runnerLostError(end: RunnerEnd): LauncherError {
  const instance = `Plugin "${end.pluginName}" instance "${end.instanceKey}"`;
  return new LauncherError(
    ErrorCode.PluginRestarted,
    end.broken
      ? `${instance} wrote to its runner's stdout, which carries only frames (${end.broken}); the runner was stopped`
      : end.crash !== undefined
      ? `${instance} crashed before answering: ${end.crash}`
      : `${instance} stopped (${describeRunnerEnd(end)}) before answering`,
  );
}
