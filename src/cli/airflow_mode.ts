import type * as BundleMetadataModule from "../airflow/bundle_metadata.ts";
import type * as CoordinatorModule from "../airflow/coordinator.ts";
import { dialBoth } from "../airflow/dial.ts";
import type * as DiscoveryModule from "../sandbox/discovery.ts";
import { writeStdout } from "./exit.ts";
import { VERSION } from "./help.ts";
import { importLazy } from "./lazy_modules.ts";
import { UsageError } from "./usage_error.ts";

/**
 * Reads `--name=value` / `--name value`; the last one wins, as Airflow appends its flags
 * after the configured command. Every other argument is ignored (a bundle path, say).
 */
function option(args: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith(`--${name}=`)) value = arg.slice(name.length + 3);
    else if (arg === `--${name}`) value = args[++i];
  }
  return value;
}

/**
 * Runs one Airflow task instance for the supervisor (coordinator mode). Both sockets are
 * dialed before the rest of the runtime loads, so the supervisor's accept and ownership
 * check overlap with that loading.
 */
export async function runAirflowMode(args: string[]): Promise<number> {
  const comm = option(args, "comm");
  const logs = option(args, "logs");
  if (!comm || !logs) {
    throw new UsageError("Coordinator mode needs both --comm=HOST:PORT and --logs=HOST:PORT");
  }
  const stop = new AbortController();
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    Deno.addSignalListener(signal, () => stop.abort(`Task terminated by ${signal}`));
  }
  const sockets = dialBoth(logs, comm, stop.signal);
  sockets.catch(() => {}); // awaited by runCoordinator
  const { runCoordinator } = await importLazy<typeof CoordinatorModule>("coordinator");
  const tmp = Deno.env.get("TMPDIR") ?? "/tmp";
  return await runCoordinator({
    sockets,
    pluginsDir: await pluginsDir(args),
    scratch: option(args, "scratch-path") ?? `${tmp}/launchbox-airflow`,
    env: (name) => Deno.env.get(name),
    stop: stop.signal,
  });
}

/** `--plugins-dir`, else `LAUNCHBOX_PLUGINS_DIR`, else `plugins/` beside the binary or main.ts. */
async function pluginsDir(args: string[]): Promise<string> {
  const given = option(args, "plugins-dir") ?? Deno.env.get("LAUNCHBOX_PLUGINS_DIR");
  if (given) return given;
  const { defaultPluginsDir } = await importLazy<typeof DiscoveryModule>("discovery");
  return defaultPluginsDir();
}

/** Prints the task bundle's metadata (`--airflow-metadata [--format yaml|json]`, or `--bundle-metadata`). */
export async function runAirflowMetadata(args: string[]): Promise<number> {
  const format = option(args, "format") ?? (args.includes("--bundle-metadata") ? "json" : "yaml");
  if (format !== "yaml" && format !== "json") {
    throw new UsageError(`--format must be yaml or json, got "${format}"`);
  }
  const { bundleMetadata } = await importLazy<typeof BundleMetadataModule>("bundleMetadata");
  writeStdout(await bundleMetadata(await pluginsDir(args), VERSION, format));
  return 0;
}
