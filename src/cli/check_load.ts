import { listingPermissions } from "../airflow/bundles.ts";
import { runnerFactory } from "../host/runner_factory.ts";
import { JsonLogger } from "../log/logger.ts";
import { AirflowTaskWorker } from "../sandbox/airflow_worker.ts";
import type { Manifest } from "../sandbox/manifest.ts";
import { PluginLoadError } from "../sandbox/plugin_load_error.ts";
import { UserDirectory } from "../sandbox/users.ts";
import type { JobsHandle } from "../sdk/mod.ts";

/** A plugin whose module cannot be loaded, and why (file:line: reason and what to do). */
export interface LoadProblem {
  readonly plugin: string;
  readonly error: PluginLoadError;
}

const NO_JOBS: JobsHandle = {
  get: async () => undefined,
  list: async () => [],
  update: async () => undefined,
};

/**
 * Loads every plugin's module as the host would — a launcher plugin in a sandboxed runner
 * process with its manifest's permissions (`runnerFactory`, without calling `create`), a
 * task bundle in the read-only Worker that lists its DAGs — and returns a problem for each
 * one that fails: a syntax error, an import that cannot be resolved, a missing default
 * export, an error thrown while the module loads.
 */
export async function loadProblems(plugins: readonly Manifest[]): Promise<LoadProblem[]> {
  const scratch = await Deno.makeTempDir({ prefix: "launchbox-check-" });
  try {
    const results = await Promise.all(
      plugins.map((manifest) =>
        (manifest.kind === "airflow" ? loadBundle(manifest) : loadLauncher(manifest, scratch))
          .then(() => undefined, (error) => ({
            plugin: manifest.name,
            error: asLoadError(error, manifest),
          }))
      ),
    );
    return results.filter((problem) => problem !== undefined);
  } finally {
    await Deno.remove(scratch, { recursive: true }).catch(() => {});
  }
}

async function loadLauncher(manifest: Manifest, scratch: string): Promise<void> {
  const factory = runnerFactory({
    manifest,
    config: {},
    // Laid out as the host lays out its scratch path: the scratch root (never readable by
    // a plugin) holds the instances root, which holds the instance directories.
    instancesRoot: `${scratch}/instances`,
    instanceDir: (key) => `${scratch}/instances/${manifest.name}/${key}`,
    users: new UserDirectory(),
    debug: false,
    loadOnly: true,
  });
  const log = new JsonLogger({ sinks: [] });
  await using _instance = await factory({ instanceKey: "check", user: "*", jobs: NO_JOBS, log });
}

async function loadBundle(manifest: Manifest): Promise<void> {
  const worker = new AirflowTaskWorker(
    listingPermissions(manifest),
    `${manifest.name}:check`,
    () => {},
  );
  try {
    await worker.list(manifest.entryPath);
  } finally {
    worker.terminate();
  }
}

/**
 * The runner's `Cannot load plugin "x": /p/mod.ts:3: reason` (inside the host's
 * `Plugin "x" could not start: …`) as a PluginLoadError with its file and line.
 */
function asLoadError(error: unknown, manifest: Manifest): PluginLoadError {
  const message = error instanceof Error ? error.message : String(error);
  const detail = message.replace(/^.*?Cannot load plugin "[^"]*": /s, "")
    .replace(/^Plugin "[^"]*" could not start: /, "");
  const placed = /^(\/[^:\n]+?):(\d+): (.*)$/s.exec(detail);
  if (placed) {
    return new PluginLoadError(placed[3]!, { file: placed[1]!, line: Number(placed[2]) });
  }
  const filed = /^(\/[^:\n]+?): (.*)$/s.exec(detail);
  if (filed) return new PluginLoadError(filed[2]!, { file: filed[1]! });
  return new PluginLoadError(`cannot load: ${detail}`, { file: manifest.entryPath });
}
