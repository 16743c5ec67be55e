import { fdCloserPrefix } from "./inherited_fds.ts";
import type { RunnerCommand } from "./runner_command.ts";

/**
 * Starts a runner process with piped stdio, a cleared environment, `cwd` (its instance
 * directory) as working directory, and a process group of its own, so that one signal to
 * the group stops whatever it started: from `setsid` in its command when there, else by
 * spawning it detached. Descriptors the host inherited open are closed first
 * (`fdCloserPrefix`), so the runner has only 0-2 of the host's.
 */
export function spawnRunner(runner: RunnerCommand, cwd: string): Deno.ChildProcess {
  const { env } = runner;
  const [command, ...args] = [...fdCloserPrefix(), runner.command, ...runner.args];
  return new Deno.Command(command!, {
    args,
    env,
    clearEnv: true,
    cwd,
    detached: !runner.ownSession,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/**
 * SIGKILL to a runner's process group, and to the runner itself: in its first moments,
 * before `setsid` has run, it is still in the host's group and no group has its id.
 */
export function killRunnerGroup(pid: number): void {
  for (const target of [-pid, pid]) {
    try {
      Deno.kill(target, "SIGKILL");
    } catch {
      // already gone, or not yet a group leader
    }
  }
}
