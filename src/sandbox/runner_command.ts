import { PRLIMIT, RUNNER_MIN_MEMORY_MB, SETPRIV, SETSID } from "./constants.ts";
import { hostSecretEnv } from "./host_secret_env.ts";
import { FD_CLOSER } from "./inherited_fds.ts";
import type { NeededPath } from "./reachability.ts";
import type { SystemUser } from "./users.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

/** How a runner process should be started. */
export interface RunnerSpawn {
  /** Start the runner as this user (uid, gid, supplementary groups). Needs a root host. */
  user?: SystemUser;
  /** RLIMIT_DATA in MiB (raised to {@linkcode RUNNER_MIN_MEMORY_MB}). */
  memoryMb?: number;
  /** The instance directory: the runner's cwd. */
  instanceDir: string;
  /**
   * The Deno cache (`DENO_DIR`) of a runner started as `user`, prepared by
   * `prepareRunnerCache` and not writable by that user. Required then; unused otherwise.
   */
  denoDir?: string;
  /**
   * Variables the plugin may read (its manifest's `env`), passed on from the host's own
   * environment unless the runner sets them itself (PATH, and HOME/USER for a job user).
   */
  passEnv?: readonly string[];
}

/** The program, arguments and environment that start a runner. */
export interface RunnerCommand {
  command: string;
  args: string[];
  env: Record<string, string>;
  /**
   * Whether the command gives the runner a session (and process group) of its own, through
   * `setsid`; otherwise the spawner must (`detached: true`).
   */
  ownSession?: boolean;
}

/**
 * Builds the runner's command line: this binary in `runner` mode (under `deno run`, the
 * runner module with the same permission ceiling), wrapped by `setsid` for a process group
 * of its own, by `setpriv` for the parent-death signal and the job user's ids, and by
 * `prlimit` for the memory cap, each when present.
 */
export function runnerCommand(
  spawn: RunnerSpawn,
  has: (path: string) => boolean = exists,
): RunnerCommand {
  const self = Deno.build.standalone ? [Deno.execPath(), "runner"] : [
    Deno.execPath(),
    "run",
    ...ceilingFlags(),
    // A plugin's import of a jsr:, https: or npm: module would have the runner download it,
    // whatever the Worker's own import and net permissions say, and write what it resolved
    // into the project's deno.lock; the runner needs neither.
    "--no-remote",
    "--no-npm",
    "--no-lock",
    "--config",
    `${ROOT}deno.json`,
    `${ROOT}src/sandbox/runner_main.ts`,
  ];
  const wrap: string[] = [];
  const ownSession = has(SETSID);
  if (ownSession) wrap.push(SETSID);
  if (spawn.user && Deno.uid() !== 0) {
    throw new RangeError(
      `Cannot start a runner as "${spawn.user.name}": run_as: session-user needs Launchbox to run as root`,
    );
  }
  if (has(SETPRIV)) {
    wrap.push(SETPRIV, "--pdeathsig", "KILL");
    if (spawn.user) {
      const { uid, gid, groups } = spawn.user;
      wrap.push(
        `--reuid=${uid}`,
        `--regid=${gid}`,
        `--groups=${groups.join(",")}`,
        "--no-new-privs",
      );
    }
    wrap.push("--");
  } else if (spawn.user) {
    throw new RangeError(
      `Cannot start a runner as "${spawn.user.name}": ${SETPRIV} is missing (util-linux)`,
    );
  }
  if (spawn.user && !spawn.denoDir) {
    throw new RangeError(
      `Cannot start a runner as "${spawn.user.name}": no prepared Deno cache was given`,
    );
  }
  if (spawn.memoryMb !== undefined && has(PRLIMIT)) {
    const mb = Math.max(spawn.memoryMb, RUNNER_MIN_MEMORY_MB);
    wrap.push(PRLIMIT, `--data=${mb * 1024 * 1024}`, "--");
  }
  const [command, ...args] = [...wrap, ...self];
  return { command: command!, args, env: runnerEnv(spawn), ownSession };
}

function runnerEnv(spawn: RunnerSpawn): Record<string, string> {
  const env: Record<string, string> = {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    NO_COLOR: "1",
    // glibc's default of 8 malloc arenas per core costs an idle runner about 3 MiB RSS;
    // the runner removes this from its environment at start, so jobs do not inherit it.
    MALLOC_ARENA_MAX: "2",
  };
  const lang = Deno.env.get("LANG");
  if (lang) env.LANG = lang;
  if (spawn.user) {
    Object.assign(env, { HOME: spawn.user.home, USER: spawn.user.name, LOGNAME: spawn.user.name });
    env.DENO_DIR = spawn.denoDir!;
  } else {
    const home = Deno.env.get("HOME");
    if (home) env.HOME = home;
    const denoDir = Deno.env.get("DENO_DIR");
    if (denoDir) env.DENO_DIR = denoDir;
  }
  for (const name of spawn.passEnv ?? []) {
    const value = Deno.env.get(name);
    if (value !== undefined && !(name in env) && !hostSecretEnv(name)) env[name] = value;
  }
  return env;
}

/**
 * What a runner loads or executes before its sandbox exists: the runtime binary, the
 * wrappers that run as root, and under `deno run` the source tree, its config and lock
 * file and the Deno cache. None may be writable by the user a runner runs as.
 */
export function runnerPaths(denoDir?: string): string[] {
  const paths = [Deno.execPath(), FD_CLOSER, SETSID, SETPRIV, PRLIMIT];
  if (Deno.build.standalone) return paths;
  return [
    ...paths,
    `${ROOT}src`,
    `${ROOT}deno.json`,
    `${ROOT}deno.lock`,
    ...(denoDir ? [denoDir] : []),
  ];
}

/**
 * What a runner started as another user must be able to reach once it has that user's
 * ids: `prlimit` (run after the switch) and the runtime, and under `deno run` the config,
 * the source tree (the SDK included) and the Deno cache. `setsid` and `setpriv` run as root.
 */
export function runnerNeeds(denoDir?: string): NeededPath[] {
  const needs: NeededPath[] = [
    { path: PRLIMIT, access: "run" },
    { path: Deno.execPath(), access: "run" },
  ];
  if (Deno.build.standalone) return needs;
  return [
    ...needs,
    { path: `${ROOT}deno.json`, access: "read" },
    { path: `${ROOT}src`, access: "read", tree: true },
    ...(denoDir ? [{ path: denoDir, access: "read" } as const] : []),
  ];
}

function ceilingFlags(): string[] {
  return Deno.readTextFileSync(`${ROOT}bin/ceiling.flags`).split("\n").filter(Boolean);
}

function exists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}
