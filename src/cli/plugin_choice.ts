import {
  DEFAULT_HEALTH_INTERVAL_MS,
  DEFAULT_HEALTH_TIMEOUT_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
} from "../host/constants.ts";
import { inProcessFactory } from "../host/in_process_factory.ts";
import type { InstanceFactory } from "../host/instance_pool.ts";
import type { JsonLogger } from "../log/mod.ts";
import { parse as parseYaml } from "yaml";
import type { LauncherOptions } from "./launcher_options.ts";
import { UsageError } from "./usage_error.ts";

// Provisional until src/sandbox/discovery.ts lands: the fields plugin mode reads today.
interface Manifest {
  name: string;
  kind: string;
  entryPath: string;
  limits: { requestTimeoutS?: number };
}

function defaultPluginsDir(): string {
  return new URL("../../plugins", import.meta.url).pathname;
}

async function discoverPlugins(dir: string): Promise<{ plugins: Manifest[]; errors: Error[] }> {
  const plugins: Manifest[] = [];
  const errors: Error[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}/plugin.yaml`;
    try {
      const raw = parseYaml(await Deno.readTextFile(path));
      plugins.push({
        name: raw.name,
        kind: raw.kind,
        entryPath: `${dir}/${entry.name}/${raw.entry}`,
        limits: { requestTimeoutS: raw.limits?.request_timeout_s },
      });
    } catch (error) {
      errors.push(new Error(`Cannot read ${path}: ${(error as Error).message}`));
    }
  }
  return { plugins, errors };
}

function selectPlugin(
  found: { plugins: Manifest[] },
  choice: { pluginName?: string; configured?: string },
): Manifest {
  const names = found.plugins.map((p) => p.name).sort();
  const wanted = choice.configured ?? choice.pluginName;
  const byName = found.plugins.find((p) => p.name === wanted);
  if (byName) return byName;
  if (choice.configured) {
    throw new Error(`No plugin named "${choice.configured}"; available: ${names.join(", ")}`);
  }
  if (found.plugins.length === 1) return found.plugins[0]!;
  throw new Error(`Cannot choose a plugin; available: ${names.join(", ")}`);
}

/** The plugin serving this Launcher cluster, with what the host needs to run it. */
export interface ChosenPlugin {
  readonly name: string;
  readonly manifest: Manifest;
  readonly requestTimeoutMs: number;
  readonly health: { intervalMs: number; timeoutMs: number };
  /** The instance key for a user's jobs (DESIGN §4). */
  readonly keyFor: (user: string) => string;
}

/** Discovers the plugins directory and picks the plugin (`plugin=`, `--plugin-name`, or the only one). */
export async function choosePlugin(
  options: LauncherOptions,
  log: JsonLogger,
): Promise<ChosenPlugin> {
  const dir = options.pluginsDir ?? defaultPluginsDir();
  const found = await discoverPlugins(dir);
  for (const error of found.errors) {
    log.warn("Skipping a plugin with an invalid manifest", { error: error.message });
  }
  const launcherPlugins = { ...found, plugins: found.plugins.filter((p) => p.kind === "launcher") };
  let manifest: Manifest;
  try {
    manifest = selectPlugin(launcherPlugins, {
      ...(options.pluginName ? { pluginName: options.pluginName } : {}),
      ...(options.configuredPlugin ? { configured: options.configuredPlugin } : {}),
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  return {
    name: manifest.name,
    manifest,
    requestTimeoutMs: manifest.limits.requestTimeoutS
      ? manifest.limits.requestTimeoutS * 1000
      : DEFAULT_REQUEST_TIMEOUT_MS,
    health: { intervalMs: DEFAULT_HEALTH_INTERVAL_MS, timeoutMs: DEFAULT_HEALTH_TIMEOUT_MS },
    keyFor: () => "shared",
  };
}

/** How instances of the chosen plugin are started. */
export function instanceFactoryFor(
  plugin: ChosenPlugin,
  options: LauncherOptions,
): InstanceFactory {
  return inProcessFactory({
    pluginName: plugin.name,
    entryPath: plugin.manifest.entryPath,
    config: options.pluginConfig,
    instanceDir: (key) => `${options.scratchPath}/instances/${key}`,
  });
}
