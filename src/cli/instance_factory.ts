import type { InstanceFactory } from "../host/instance_pool.ts";
import type { Metrics } from "../host/metrics.ts";
import type * as RunnerFactory from "../host/runner_factory.ts";
import { importLazy } from "./lazy_modules.ts";
import type { LauncherOptions } from "./launcher_options.ts";
import type { ChosenPlugin } from "./plugin_choice.ts";

/**
 * How instances of the chosen plugin are started: always in sandboxed runner processes.
 * The runner code (a third of the host's modules) is loaded at the first instance start,
 * so a host answers Bootstrap without it.
 */
export function instanceFactoryFor(
  plugin: ChosenPlugin,
  options: LauncherOptions,
  metrics?: Metrics,
): InstanceFactory {
  let factory: Promise<InstanceFactory> | undefined;
  return async (spec) => {
    factory ??= importLazy<typeof RunnerFactory>("runnerFactory").then(({ runnerFactory }) =>
      runnerFactory({
        manifest: plugin.manifest,
        config: options.pluginConfig,
        instancesRoot: `${options.scratchPath}/instances`,
        instanceDir: plugin.instanceDir,
        users: plugin.users,
        debug: options.debug,
        ...(metrics ? { metrics } : {}),
      })
    );
    return await (await factory)(spec);
  };
}
