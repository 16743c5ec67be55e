import type { InstanceFactory } from "../host/instance_pool.ts";
import type { Metrics } from "../host/metrics.ts";
import { runnerFactory } from "../host/runner_factory.ts";
import type { LauncherOptions } from "./launcher_options.ts";
import type { ChosenPlugin } from "./plugin_choice.ts";

/** How instances of the chosen plugin are started: always in sandboxed runner processes. */
export function instanceFactoryFor(
  plugin: ChosenPlugin,
  options: LauncherOptions,
  metrics?: Metrics,
): InstanceFactory {
  return runnerFactory({
    manifest: plugin.manifest,
    config: options.pluginConfig,
    instancesRoot: `${options.scratchPath}/instances`,
    instanceDir: plugin.instanceDir,
    users: plugin.users,
    debug: options.debug,
    ...(metrics ? { metrics } : {}),
  });
}
