import type { InstanceFactory } from "../host/instance_pool.ts";
import type { Metrics } from "../host/metrics.ts";
import type { JsonLogger } from "../log/mod.ts";
import type * as RunnerFactory from "../host/runner_factory.ts";
import { RUNNER_STARTS_PER_CPU } from "../sandbox/constants.ts";
import { importLazy } from "./lazy_modules.ts";
import type { LauncherOptions } from "./launcher_options.ts";
import type { ChosenPlugin } from "./plugin_choice.ts";

/** Starts instances; `warm()` starts the idle runners of the pool, disposing ends them. */
export type HostInstanceFactory = InstanceFactory & AsyncDisposable & { warm(): void };

/**
 * How instances of the chosen plugin are started: always in sandboxed runner processes, at
 * most {@linkcode RUNNER_STARTS_PER_CPU} per CPU at once (the others queue, their load
 * timeout not yet running), the pool's refills among them. The runner code (a third of the
 * host's modules) is loaded at the first instance start or `warm()`, so a host answers
 * Bootstrap without it.
 */
export function instanceFactoryFor(
  plugin: ChosenPlugin,
  options: LauncherOptions,
  extras: { metrics?: Metrics; log?: JsonLogger } = {},
): HostInstanceFactory {
  let factory: Promise<RunnerFactory.RunnerInstanceFactory> | undefined;
  const limited = oneAtATimePer(RUNNER_STARTS_PER_CPU * navigator.hardwareConcurrency);
  const { metrics, log } = extras;
  const load = () =>
    factory ??= importLazy<typeof RunnerFactory>("runnerFactory").then(({ runnerFactory }) =>
      runnerFactory({
        manifest: plugin.manifest,
        config: options.pluginConfig,
        instancesRoot: `${options.scratchPath}/instances`,
        instanceDir: plugin.instanceDir,
        users: plugin.users,
        debug: options.debug,
        ...(metrics ? { metrics } : {}),
        pool: {
          size: options.runnerPoolSize,
          limit: limited,
          ...(log
            ? { onError: (error: unknown) => log.warn("Cannot start a pooled runner", { error }) }
            : {}),
        },
      })
    );
  const start: InstanceFactory = (spec) => limited(async () => await (await load())(spec));
  return Object.assign(start, {
    warm: () => {
      if (options.runnerPoolSize <= 0) return;
      // A failed load fails the next instance start too, which reports it to the Launcher.
      void load().then((loaded) => loaded.warm(), (error) => {
        log?.warn("Cannot load the runner code for the runner pool", { error });
      });
    },
    [Symbol.asyncDispose]: async () => {
      if (factory) await (await factory.catch(() => undefined))?.[Symbol.asyncDispose]();
    },
  });
}

/** Runs at most `slots` of the tasks it is given at once, the rest in the order given. */
export function oneAtATimePer(slots: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (running >= slots) await new Promise<void>((turn) => waiting.push(turn));
    else running++;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}
