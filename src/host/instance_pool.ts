import type { JsonLogger } from "../log/mod.ts";
import type { JobsHandle } from "../sdk/mod.ts";
import { restartDelayMs } from "./backoff.ts";
import {
  BREAKER_COOL_DOWN_MS,
  DEFAULT_HEALTH_INTERVAL_MS,
  DEFAULT_HEALTH_TIMEOUT_MS,
  IDLE_INSTANCE_MS,
} from "./constants.ts";
import type { InstanceHealth } from "./health.ts";
import { InstanceSupervisor, type ManagedInstance } from "./instance_supervisor.ts";
import type { Metrics } from "./metrics.ts";
import type { PluginInstance } from "./plugin_instance.ts";

export type { PluginInstance } from "./plugin_instance.ts";

/** What the factory needs to start one instance. */
export interface InstanceSpec {
  readonly instanceKey: string;
  /** The user the instance serves (the first user seen for its key). */
  readonly user: string;
  readonly jobs: JobsHandle;
  readonly log: JsonLogger;
}

/** Told that the instance `instanceKey` crashed, and why (see {@linkcode InstancePool.onCrash}). */
export type CrashListener = (instanceKey: string, reason: string) => void;

/** Starts an instance: a sandboxed runner process (tests may pass plain-object fakes). */
export type InstanceFactory = (spec: InstanceSpec) => Promise<ManagedInstance>;

/** Options for {@linkcode InstancePool}. */
export interface InstancePoolOptions {
  pluginName: string;
  factory: InstanceFactory;
  /** The instance key that serves a user's jobs (isolation level → key). */
  keyFor: (user: string) => string;
  /** The `ctx.jobs` handle of an instance. */
  jobsFor: (instanceKey: string) => JobsHandle;
  /** Whether an instance still owns jobs that are not finished (then it is never idle). */
  hasLiveJobs: (instanceKey: string) => boolean | Promise<boolean>;
  log: JsonLogger;
  metrics?: Metrics;
  health?: { intervalMs: number; timeoutMs: number };
  idleMs?: number;
  /** The plugin's isolation level, for metrics. */
  level?: string;
  /** Multiplies restart delays and the breaker cool-down (tests use 0.01); default 1. */
  timeScale?: number;
}

/**
 * Plugin instances by instance key, each kept alive by a supervisor: started on first
 * use, restarted after crashes, stopped when idle (no running jobs, no calls for 10 min).
 */
export class InstancePool implements AsyncDisposable {
  readonly #o: InstancePoolOptions;
  readonly #supervisors = new Map<string, InstanceSupervisor>();
  readonly #idleMs: number;
  readonly #crashListeners: CrashListener[] = [];
  #closing = false;
  /** Started with the first instance: a timer is the host's first use of Node's timers (≈ 8 ms). */
  #idleSweep: ReturnType<typeof setInterval> | undefined;

  constructor(options: InstancePoolOptions) {
    this.#o = options;
    this.#idleMs = options.idleMs ?? IDLE_INSTANCE_MS;
    options.metrics?.onCollect(() => this.#collect(options.metrics!));
  }

  /** The instance key serving `user`. */
  keyFor(user: string): string {
    return this.#o.keyFor(user);
  }

  /** The instance for `instanceKey`, starting it for `user` when it is not running. */
  get(instanceKey: string, user: string): Promise<PluginInstance> {
    return this.#supervisorFor(instanceKey, user).acquire();
  }

  /**
   * Calls `listener` whenever an instance ends without being asked to (crash, exit, missed
   * health check), after its restart is scheduled or its breaker has opened.
   */
  onCrash(listener: CrashListener): void {
    this.#crashListeners.push(listener);
  }

  /** Whether the pool is shutting down (its instances are being stopped). */
  get closing(): boolean {
    return this.#closing;
  }

  /** Whether the breaker of `instanceKey` is open: it is not restarted until the cool-down. */
  breakerOpen(instanceKey: string): boolean {
    return this.#supervisors.get(instanceKey)?.breaker.state === "open";
  }

  /** Instances that are running now, for broadcasts (reload, nodes). */
  async running(): Promise<PluginInstance[]> {
    const live = [...this.#supervisors.values()].filter((s) => s.state === "running");
    const settled = await Promise.allSettled(live.map((s) => s.acquire()));
    return settled.flatMap((result) => result.status === "fulfilled" ? [result.value] : []);
  }

  /** Every supervised instance's state, breaker and last failure, for `/health`. */
  health(): InstanceHealth[] {
    return [...this.#supervisors].map(([instance, supervisor]) => ({
      instance,
      state: supervisor.state,
      breaker: supervisor.breaker.state,
      failures: supervisor.breaker.consecutiveFailures,
      lastFailure: supervisor.breaker.lastFailure,
    }));
  }

  /** Process ids of the running instances that are processes (runners). */
  async pids(): Promise<number[]> {
    const running = await this.running() as ManagedInstance[];
    return running.flatMap((instance) => instance.pid === undefined ? [] : [instance.pid]);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.#closing = true;
    clearInterval(this.#idleSweep);
    const supervisors = [...this.#supervisors.values()];
    this.#supervisors.clear();
    await Promise.allSettled(supervisors.map((s) => s[Symbol.asyncDispose]()));
  }

  #supervisorFor(instanceKey: string, user: string): InstanceSupervisor {
    let supervisor = this.#supervisors.get(instanceKey);
    if (supervisor) return supervisor;
    this.#idleSweep ??= setInterval(
      () => this.#stopIdle(this.#idleMs),
      Math.min(60_000, this.#idleMs),
    );
    const log = this.#o.log.with({ instance: instanceKey });
    const jobs = this.#o.jobsFor(instanceKey);
    const metrics = this.#o.metrics;
    const plugin = this.#o.pluginName;
    const scale = this.#o.timeScale ?? 1;
    supervisor = new InstanceSupervisor({
      pluginName: plugin,
      instanceKey,
      start: () => this.#o.factory({ instanceKey, user, jobs, log }),
      log,
      healthIntervalMs: this.#o.health?.intervalMs ?? DEFAULT_HEALTH_INTERVAL_MS,
      healthTimeoutMs: this.#o.health?.timeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS,
      restartDelay: (attempt) => restartDelayMs(attempt) * scale,
      breakerCoolDownMs: BREAKER_COOL_DOWN_MS * scale,
      onCrash: (reason) => {
        for (const listener of this.#crashListeners) listener(instanceKey, reason);
      },
      events: {
        started: (restart) => {
          metrics?.inc("launchbox_instance_starts_total", "Plugin instance starts", { plugin });
          if (restart) {
            metrics?.inc("launchbox_instance_restarts_total", "Plugin instance restarts", {
              plugin,
            });
          }
        },
        failed: () =>
          metrics?.inc("launchbox_instance_failures_total", "Plugin instance failures", { plugin }),
      },
    });
    this.#supervisors.set(instanceKey, supervisor);
    return supervisor;
  }

  #stopIdle(idleMs: number): void {
    for (const [key, supervisor] of this.#supervisors) {
      if (supervisor.state !== "running" || supervisor.idleFor() < idleMs) continue;
      void this.#stopUnlessLive(key, supervisor);
    }
  }

  async #stopUnlessLive(key: string, supervisor: InstanceSupervisor): Promise<void> {
    try {
      if (await this.#o.hasLiveJobs(key)) return;
    } catch (error) {
      return this.#o.log.warn("Cannot tell whether an idle instance has jobs", {
        instance: key,
        error,
      });
    }
    if (this.#supervisors.get(key) !== supervisor || supervisor.state !== "running") return;
    this.#o.log.info("Stopping an idle plugin instance", { instance: key });
    void supervisor.stop();
  }

  #collect(metrics: Metrics): void {
    const plugin = this.#o.pluginName;
    metrics.reset("launchbox_instances");
    metrics.reset("launchbox_breaker_state");
    const counts = new Map<string, number>();
    for (const [key, supervisor] of this.#supervisors) {
      counts.set(supervisor.state, (counts.get(supervisor.state) ?? 0) + 1);
      const breaker = supervisor.breaker.state;
      const value = breaker === "open" ? 2 : breaker === "half-open" ? 1 : 0;
      metrics.set("launchbox_breaker_state", "Breaker state (0 closed, 1 half-open, 2 open)", {
        plugin,
        instance: key,
      }, value);
    }
    for (const [state, count] of counts) {
      const level = this.#o.level ?? "none";
      metrics.set("launchbox_instances", "Plugin instances by level and state", {
        plugin,
        level,
        state,
      }, count);
    }
  }
}
