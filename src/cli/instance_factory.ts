import { inProcessFactory } from "../host/in_process_factory.ts";
import type { InstanceFactory } from "../host/instance_pool.ts";
import type { LauncherOptions } from "./launcher_options.ts";
import type { ChosenPlugin } from "./plugin_choice.ts";

/** How instances of the chosen plugin are started. */
export function instanceFactoryFor(
  plugin: ChosenPlugin,
  options: LauncherOptions,
): InstanceFactory {
  return inProcessFactory({
    pluginName: plugin.name,
    entryPath: plugin.manifest.entryPath,
    config: options.pluginConfig,
    instanceDir: plugin.instanceDir,
  });
}
