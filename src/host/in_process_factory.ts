import type { LauncherPlugin, LauncherPluginDefinition, PluginContext } from "../sdk/mod.ts";
import type { InstanceFactory } from "./instance_pool.ts";
import type { ManagedInstance } from "./instance_supervisor.ts";
import { systemClock } from "./system_clock.ts";

/** Options for {@linkcode inProcessFactory}. */
export interface InProcessOptions {
  pluginName: string;
  /** Absolute path of the plugin's entry module. */
  entryPath: string;
  config: Readonly<Record<string, string>>;
  /** The private directory of an instance. */
  instanceDir: (instanceKey: string) => string;
}

/**
 * Starts plugin instances inside the host process. Used by tests of the host itself and
 * by trusted development setups; production instances run in sandboxed runners.
 */
export function inProcessFactory(options: InProcessOptions): InstanceFactory {
  let definition: Promise<LauncherPluginDefinition> | undefined;
  return async (spec) => {
    definition ??= loadDefinition(options.entryPath, options.pluginName);
    const instanceDir = options.instanceDir(spec.instanceKey);
    await Deno.mkdir(instanceDir, { recursive: true });
    const ctx: PluginContext = {
      pluginName: options.pluginName,
      instanceKey: spec.instanceKey,
      instanceDir,
      config: options.config,
      log: spec.log,
      clock: systemClock,
      jobs: spec.jobs,
    };
    const plugin = await (await definition).create(ctx);
    return bindInstance(plugin);
  };
}

const METHODS = [
  "submitJob",
  "controlJob",
  "jobOutput",
  "jobResourceUtil",
  "jobNetwork",
  "clusterInfo",
  "recover",
  "reloadConfig",
  "syncNodes",
  "close",
] as const;

/**
 * The plugin's methods bound to it (classes with private fields work), plus what the
 * supervisor watches: an in-process instance always answers pings and exits only when
 * disposed.
 */
function bindInstance(plugin: LauncherPlugin): ManagedInstance {
  let exit: (reason: string) => void = () => {};
  const instance: Record<string | symbol, unknown> = {
    exited: new Promise<string>((resolve) => exit = resolve),
    ping: () => Promise.resolve(),
    [Symbol.asyncDispose]: async () => {
      await plugin.close?.();
      exit("stopped");
    },
  };
  for (const name of METHODS) {
    const method = plugin[name];
    if (typeof method === "function") instance[name] = method.bind(plugin);
  }
  return instance as unknown as ManagedInstance;
}

async function loadDefinition(entryPath: string, name: string): Promise<LauncherPluginDefinition> {
  const module = await import(new URL(`file://${entryPath}`).href);
  const definition = module.default as Partial<LauncherPluginDefinition> | undefined;
  if (definition?.kind !== "launcher" || typeof definition.create !== "function") {
    throw new TypeError(
      `Cannot load plugin "${name}": ${entryPath} must export default definePlugin(…)`,
    );
  }
  return definition as LauncherPluginDefinition;
}
