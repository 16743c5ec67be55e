import type { JsonLogger } from "../log/mod.ts";
import { ErrorCode, LauncherError } from "../sdk/mod.ts";
import { restartDelayMs } from "./backoff.ts";
import { CircuitBreaker } from "./circuit_breaker.ts";
import type { PluginInstance } from "./plugin_instance.ts";
import { trackCalls } from "./_call_tracker.ts";

/** An instance the supervisor can watch: health pings and an exit to wait for. */
export interface ManagedInstance extends PluginInstance {
  /** Resolves when the instance answers within `timeoutMs`; rejects otherwise. */
  ping(timeoutMs: number): Promise<void>;
  /** Settles with a reason once the instance has stopped, by crash or by request. */
  readonly exited: Promise<string>;
  /** The runner's process id, when the instance is a process. */
  readonly pid?: number;
}

/** Where a supervised instance stands, as metrics report it. */
export type InstanceState = "stopped" | "starting" | "running" | "backoff" | "broken";

/** Counters a supervisor reports. */
export interface SupervisorEvents {
  started(restart: boolean): void;
  failed(reason: string): void;
}

/** Options for {@linkcode InstanceSupervisor}. */
export interface SupervisorOptions {
  pluginName: string;
  instanceKey: string;
  start: () => Promise<ManagedInstance>;
  log: JsonLogger;
  healthIntervalMs: number;
  healthTimeoutMs: number;
  events?: SupervisorEvents;
  now?: () => number;
  /** Delay before restart number `attempt`; tests shorten it. */
  restartDelay?: (attempt: number) => number;
  /** How long an open breaker waits before a trial; tests shorten it. */
  breakerCoolDownMs?: number;
  /**
   * Told when the instance ended without being asked to (it crashed, exited, or missed a
   * health check), once the restart is scheduled or the breaker has opened.
   */
  onCrash?: (reason: string) => void;
}

/**
 * Keeps one plugin instance alive: starts it on demand, pings it, restarts it with
 * exponential backoff after a crash or a failed ping, and opens a circuit breaker after
 * repeated failures so calls fail fast with the last failure named.
 */
export class InstanceSupervisor implements AsyncDisposable {
  readonly breaker: CircuitBreaker;
  readonly #o: SupervisorOptions;
  #instance: Promise<ManagedInstance> | undefined;
  #state: InstanceState = "stopped";
  #attempt = 0;
  #restart:
    | { timer: ReturnType<typeof setTimeout>; ready: Promise<void>; fire: () => void }
    | undefined;
  #health: ReturnType<typeof setInterval> | undefined;
  #active = 0;
  #lastUsed: number;
  #closing = false;

  constructor(options: SupervisorOptions) {
    this.#o = options;
    this.breaker = new CircuitBreaker(options.now, options.breakerCoolDownMs);
    this.#lastUsed = (options.now ?? Date.now)();
  }

  get state(): InstanceState {
    return this.#state;
  }

  /** Calls or streams in progress. */
  get active(): number {
    return this.#active;
  }

  /** Milliseconds since the last call ended or began. */
  idleFor(now = (this.#o.now ?? Date.now)()): number {
    return this.#active > 0 ? 0 : now - this.#lastUsed;
  }

  /** The running instance (started or awaited as needed), with its calls tracked. */
  async acquire(): Promise<PluginInstance> {
    if (this.#closing) throw this.#unavailable("the host is shutting down");
    if (this.#restart) await this.#restart.ready;
    if (this.#closing) throw this.#unavailable("the host is shutting down");
    if (!this.#instance) {
      if (!this.breaker.allow()) {
        throw this.#unavailable(`breaker open after: ${this.breaker.lastFailure}`);
      }
      this.#instance = this.#startOnce();
    }
    const instance = await this.#instance;
    return trackCalls(instance, {
      begin: () => void this.#active++,
      end: () => {
        this.#active--;
        this.#lastUsed = (this.#o.now ?? Date.now)();
      },
    });
  }

  /** Stops the instance now (idle, or shutting down); the next `acquire` starts it again. */
  async stop(): Promise<void> {
    clearInterval(this.#health);
    const current = this.#instance;
    this.#instance = undefined;
    this.#state = "stopped";
    if (!current) return;
    const instance = await current.catch(() => undefined);
    if (instance) await disposeQuietly(instance);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.#closing = true;
    if (this.#restart) {
      clearTimeout(this.#restart.timer);
      this.#restart.fire();
      this.#restart = undefined;
    }
    await this.stop();
  }

  async #startOnce(): Promise<ManagedInstance> {
    this.#state = "starting";
    let instance: ManagedInstance;
    try {
      instance = await this.#o.start();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.#instance = undefined;
      this.#fail(`failed to start: ${reason}`, false);
      throw this.#unavailable(reason);
    }
    this.#state = "running";
    this.#o.events?.started(this.#attempt > 0);
    this.#o.log.info("Plugin instance started", { attempt: this.#attempt });
    instance.exited.then((reason) => this.#onExit(instance, reason));
    this.#watchHealth(instance);
    return instance;
  }

  #watchHealth(instance: ManagedInstance): void {
    clearInterval(this.#health);
    this.#health = setInterval(async () => {
      try {
        await withTimeout(instance.ping(this.#o.healthTimeoutMs), this.#o.healthTimeoutMs);
        this.breaker.recordSuccess();
        this.#attempt = 0;
      } catch {
        if (this.#instance && (await this.#instance.catch(() => undefined)) !== instance) return;
        this.#o.log.warn("Plugin instance missed a health check", {
          timeoutMs: this.#o.healthTimeoutMs,
        });
        this.#instance = undefined;
        clearInterval(this.#health);
        const reason = `missed a health check (${this.#o.healthTimeoutMs} ms)`;
        this.#fail(reason, true);
        await disposeQuietly(instance);
        this.#o.onCrash?.(reason);
      }
    }, this.#o.healthIntervalMs);
  }

  async #onExit(instance: ManagedInstance, reason: string): Promise<void> {
    const current = await this.#instance?.catch(() => undefined);
    if (current !== instance || this.#closing) return;
    clearInterval(this.#health);
    this.#instance = undefined;
    this.#o.log.error("Plugin instance exited unexpectedly", { reason });
    this.#fail(`exited: ${reason}`, true);
    this.#o.onCrash?.(reason);
  }

  /** Records a failure and, unless the breaker opened, schedules a restart with backoff. */
  #fail(reason: string, restart: boolean): void {
    this.breaker.recordFailure(reason);
    this.#o.events?.failed(reason);
    this.#attempt += 1;
    if (this.breaker.state !== "closed") {
      this.#state = "broken";
      this.#o.log.error("Plugin circuit breaker is open", {
        failures: this.breaker.consecutiveFailures,
        reason,
      });
      return;
    }
    this.#state = restart ? "backoff" : "stopped";
    if (restart && !this.#closing) this.#scheduleRestart();
  }

  #scheduleRestart(): void {
    const delay = (this.#o.restartDelay ?? restartDelayMs)(this.#attempt);
    let fire = () => {};
    const ready = new Promise<void>((resolve) => fire = resolve);
    const timer = setTimeout(() => {
      this.#restart = undefined;
      fire();
      if (!this.#instance && !this.#closing) {
        this.#instance = this.#startOnce();
        this.#instance.catch(() => {});
      }
    }, delay);
    this.#restart = { timer, ready, fire };
    this.#o.log.info("Restarting plugin instance after backoff", {
      delayMs: delay,
      attempt: this.#attempt,
    });
  }

  #unavailable(reason: string): LauncherError {
    return new LauncherError(
      ErrorCode.Unknown,
      `Plugin "${this.#o.pluginName}" instance "${this.#o.instanceKey}" is unavailable: ${reason}`,
    );
  }
}

async function disposeQuietly(instance: AsyncDisposable): Promise<void> {
  try {
    await instance[Symbol.asyncDispose]();
  } catch {
    // A failed stop leaves nothing to do: the runner's process group is killed regardless.
  }
}

/** Rejects when `promise` has not settled within `ms` (a ping that never answers). */
function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}
