import { fdCloserPrefix } from "./inherited_fds.ts";
import type { RunnerCommand } from "./runner_command.ts";

/**
 * Starts a runner process with piped stdio, a cleared environment, `cwd` (its instance
 * directory) as working directory, and a process group of its own, so that one signal to
 * the group stops whatever it started. Descriptors the host inherited open are closed
 * first (`fdCloserPrefix`), so the runner has only 0-2 of the host's.
 */
export function spawnRunner(runner: RunnerCommand, cwd: string): Deno.ChildProcess {
  const { env } = runner;
  const [command, ...args] = [...fdCloserPrefix(), runner.command, ...runner.args];
  return new Deno.Command(command!, {
    args,
    env,
    clearEnv: true,
    cwd,
    detached: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}
