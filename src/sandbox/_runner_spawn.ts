import type { RunnerCommand } from "./runner_command.ts";

/**
 * Starts a runner process with piped stdio, a cleared environment, `cwd` (its instance
 * directory) as working directory, and a process group of its own, so that one signal to
 * the group stops whatever it started.
 */
export function spawnRunner(runner: RunnerCommand, cwd: string): Deno.ChildProcess {
  const { command, args, env } = runner;
  return new Deno.Command(command, {
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
