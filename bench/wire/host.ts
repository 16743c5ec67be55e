import { LauncherClient } from "../../src/launcher/launcher_client.ts";

export const ROOT = new URL("../../", import.meta.url).pathname;
const FLAGS = Deno.readTextFileSync(`${ROOT}bin/ceiling.flags`).split("\n").filter(Boolean);

/**
 * With `LAUNCHBOX_BENCH_CPU_PROF=<dir>`, every host a driver starts writes a V8 CPU profile
 * there when it exits (drivers stop hosts gracefully so the profile gets written).
 */
const PROFILE_DIR = Deno.env.get("LAUNCHBOX_BENCH_CPU_PROF");

/** `deno run` with the permission ceiling (and the profiler when asked for) for `script`. */
export function denoRun(script: string, args: string[]): { command: string; args: string[] } {
  const profile = PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${PROFILE_DIR}`] : [];
  return {
    command: Deno.execPath(),
    args: ["run", ...FLAGS, ...profile, "--config", `${ROOT}deno.json`, script, ...args],
  };
}

/** The `deno run` command the budgets are measured with (no wrapper script in between). */
export function hostCommand(args: string[]): { command: string; args: string[] } {
  return denoRun(`${ROOT}main.ts`, args);
}

/**
 * Ends a host the way the Launcher does (stdin closed), so it exits on its own and a
 * profile is written; a host still running after `graceMs` is killed.
 */
export async function stopChild(
  child: Deno.ChildProcess,
  closeInput: () => Promise<void>,
  graceMs = 5_000,
): Promise<void> {
  await closeInput().catch(() => {});
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  try {
    await child.status;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A host in plugin mode on a fresh scratch directory (or `scratch`, removed on stop unless
 * `keepScratch`), with its Launcher-side client.
 */
export async function startHost(
  options: {
    plugin?: string;
    pluginsDir?: string;
    config?: string[];
    scratch?: string;
    keepScratch?: boolean;
    /** Added to the inherited environment. */
    env?: Record<string, string>;
  } = {},
) {
  const scratch = options.scratch ?? await Deno.makeTempDir({ prefix: "launchbox-bench-" });
  const plugin = options.plugin ?? "inmemory";
  await Deno.writeTextFile(
    `${scratch}/launcher.${plugin}.conf`,
    (options.config ?? []).join("\n") + "\n",
  );
  const { command, args } = hostCommand([
    "--heartbeat-interval-seconds=0",
    `--plugin-name=${plugin}`,
    `--scratch-path=${scratch}`,
    `--logging-dir=${scratch}/log`,
    `--config-file=${scratch}/launcher.${plugin}.conf`,
    ...(options.pluginsDir ? [`--plugins-dir=${options.pluginsDir}`] : []),
  ]);
  const started = performance.now();
  const child = new Deno.Command(command, {
    args,
    env: options.env ?? {},
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const client = new LauncherClient(child.stdout, child.stdin, { maxFrameBytes: 64 * 1024 * 1024 });
  return {
    client,
    child,
    scratch,
    started,
    async stop() {
      await client.close();
      await child.status;
      if (!options.keepScratch) await Deno.remove(scratch, { recursive: true }).catch(() => {});
    },
  };
}

/** A user request with the fields the Launcher always sends. */
export function request(
  client: LauncherClient,
  messageType: number,
  user: string,
  extra: Record<string, unknown> = {},
) {
  return client.userRequest(messageType, user, extra);
}
