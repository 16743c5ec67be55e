import { runLaunchbox } from "./host_process.ts";

/** Runs one `launchbox client` command with the scratch path's host options appended. */
export type ClientRun = (...args: string[]) => ReturnType<typeof runLaunchbox>;

/** Options for {@linkcode withScratch}. */
export interface ScratchOptions {
  /** Plugin config file lines; none when empty. */
  config?: string[];
  /** `--plugins-dir` for every command. */
  pluginsDir?: string;
}

/**
 * A private scratch path for `launchbox client` commands of `plugin`; its background host
 * is stopped and the directory removed after `body`. A failure carries the end of the
 * background host's log.
 */
export async function withScratch(
  plugin: string,
  body: (client: ClientRun, scratch: string) => Promise<void>,
  options: ScratchOptions | string[] = {},
): Promise<void> {
  const { config = [], pluginsDir } = Array.isArray(options) ? { config: options } : options;
  const scratch = await Deno.makeTempDir({ prefix: "launchbox-client-host-" });
  const hostOptions = [`--plugin-name=${plugin}`, `--scratch-path=${scratch}`];
  if (pluginsDir) hostOptions.push(`--plugins-dir=${pluginsDir}`);
  if (config.length > 0) {
    await Deno.writeTextFile(`${scratch}/launcher.${plugin}.conf`, config.join("\n") + "\n");
    hostOptions.push(`--config-file=${scratch}/launcher.${plugin}.conf`);
  }
  const client: ClientRun = (...args) => runLaunchbox(["client", ...args, ...hostOptions]);
  try {
    await body(client, scratch);
  } catch (error) {
    const log = await Deno.readTextFile(`${scratch}/client-host/host.log`).catch(() => "(none)");
    if (error instanceof Error) error.message += `\n--- host.log ---\n${log.slice(-3000)}`;
    throw error;
  } finally {
    await runLaunchbox(["client", "host", "stop", "--stop-jobs", ...hostOptions]);
    await Deno.remove(scratch, { recursive: true });
  }
}

/** Runs `client jobs` until `pattern` matches its output (15 s at most). */
export async function jobsUntil(client: ClientRun, pattern: RegExp): Promise<string> {
  let last = "";
  for (let attempt = 0; attempt < 60; attempt++) {
    last = (await client("jobs")).stdout;
    if (pattern.test(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`client jobs never matched ${pattern}; last output:\n${last}`);
}
