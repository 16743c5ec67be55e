import {
  DEFAULT_HEALTH_INTERVAL_MS,
  DEFAULT_HEALTH_TIMEOUT_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
} from "../host/constants.ts";
import type { JsonLogger } from "../log/mod.ts";
import { defaultPluginsDir, findPlugin } from "../sandbox/discovery.ts";
import { instanceDirFor, instanceKeyFor, tenantOf } from "../sandbox/isolation.ts";
import type { Manifest } from "../sandbox/manifest.ts";
import { PluginLoadError } from "../sandbox/plugin_load_error.ts";
import { UserDirectory } from "../sandbox/users.ts";
import type { LauncherOptions } from "./launcher_options.ts";
import { pluginRisks } from "./check_risks.ts";
import { UsageError } from "./usage_error.ts";

/** The plugin serving this Launcher cluster, with what the host needs to run it. */
export interface ChosenPlugin {
  readonly name: string;
  readonly manifest: Manifest;
  readonly requestTimeoutMs: number;
  readonly health: { intervalMs: number; timeoutMs: number };
  /** The instance key for a user's jobs (docs/architecture.md). */
  readonly keyFor: (user: string) => string;
  /** The private directory of an instance. */
  readonly instanceDir: (instanceKey: string) => string;
  readonly users: UserDirectory;
}

/** Prefix of config-file keys that map a user to a tenant: `tenant.alice=research`. */
export const TENANT_KEY_PREFIX = "tenant.";

/**
 * Finds the plugin in the plugins directory (`plugin=`, `--plugin-name`, or the only one),
 * reading only its manifest when it is named (see `findPlugin`).
 */
export async function choosePlugin(
  options: LauncherOptions,
  log: JsonLogger,
): Promise<ChosenPlugin> {
  const dir = options.pluginsDir ?? defaultPluginsDir();
  let manifest: Manifest;
  try {
    const found = await findPlugin(dir, {
      kind: "launcher",
      ...(options.pluginName ? { pluginName: options.pluginName } : {}),
      ...(options.configuredPlugin ? { configured: options.configuredPlugin } : {}),
    });
    for (const error of found.skipped) {
      log.warn("Skipping a plugin with an invalid manifest", { error: error.message });
    }
    manifest = found.manifest;
  } catch (error) {
    if (error instanceof PluginLoadError) throw new UsageError(error.message);
    throw error;
  }
  for (const risk of pluginRisks(manifest)) {
    const loud = risk.field === "allow_trampolines" || risk.field === "run";
    if (loud) {
      log.warn("Plugin may run programs outside the sandbox", {
        plugin: manifest.name,
        risk: risk.message,
      });
    }
  }
  const users = new UserDirectory();
  const tenants = tenantMapping(options.pluginConfig);
  const primaryGroup = (user: string) => users.lookup(user)?.group;
  const scratch = `${options.scratchPath}/instances`;
  return {
    name: manifest.name,
    manifest,
    requestTimeoutMs: (manifest.limits.requestTimeoutS ?? DEFAULT_REQUEST_TIMEOUT_MS / 1000) * 1000,
    health: {
      intervalMs: (manifest.health.intervalS ?? DEFAULT_HEALTH_INTERVAL_MS / 1000) * 1000,
      timeoutMs: (manifest.health.timeoutS ?? DEFAULT_HEALTH_TIMEOUT_MS / 1000) * 1000,
    },
    // The tenant (a passwd/group lookup) only when the isolation level uses it.
    keyFor: (user) =>
      instanceKeyFor(manifest.isolation, {
        user,
        get tenant() {
          return tenantOf(user, tenants, primaryGroup);
        },
      }),
    instanceDir: (key) => instanceDirFor(scratch, key),
    users,
  };
}

/** `tenant.<user>=<tenant>` entries of the plugin config file. */
export function tenantMapping(config: Readonly<Record<string, string>>): Record<string, string> {
  const mapping: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    if (key.startsWith(TENANT_KEY_PREFIX)) mapping[key.slice(TENANT_KEY_PREFIX.length)] = value;
  }
  return mapping;
}
