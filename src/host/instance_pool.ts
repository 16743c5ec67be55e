import type { JsonLogger } from "../log/mod.ts";
import type { JobsHandle, LauncherPlugin } from "../sdk/mod.ts";

/** A running plugin instance: the plugin interface plus a way to stop it. */
export interface PluginInstance extends LauncherPlugin, AsyncDisposable {}

/** What the factory needs to start one instance. */
export interface InstanceSpec {
  readonly instanceKey: string;
  /** The user the instance serves (the first user seen for its key). */
  readonly user: string;
  readonly jobs: JobsHandle;
  readonly log: JsonLogger;
}

/** Starts an instance: in-process for now, a sandboxed runner process later. */
export type InstanceFactory = (spec: InstanceSpec) => Promise<PluginInstance>;

/** Options for {@linkcode InstancePool}. */
export interface InstancePoolOptions {
  factory: InstanceFactory;
  /** The instance key that serves a user's jobs (isolation level → key). */
  keyFor: (user: string) => string;
  /** The `ctx.jobs` handle of an instance. */
  jobsFor: (instanceKey: string) => JobsHandle;
  log: JsonLogger;
}

/**
 * Plugin instances by instance key, started on first use. Two callers asking for the
 * same key at once share one start; a failed start is forgotten so the next call retries.
 */
export class InstancePool implements AsyncDisposable {
  readonly #options: InstancePoolOptions;
  readonly #instances = new Map<string, Promise<PluginInstance>>();

  constructor(options: InstancePoolOptions) {
    this.#options = options;
  }

  /** The instance key serving `user`. */
  keyFor(user: string): string {
    return this.#options.keyFor(user);
  }

  /** The instance for `instanceKey`, starting it for `user` when it is not running. */
  get(instanceKey: string, user: string): Promise<PluginInstance> {
    const running = this.#instances.get(instanceKey);
    if (running) return running;
    const log = this.#options.log.with({ instance: instanceKey });
    const jobs = this.#options.jobsFor(instanceKey);
    const starting = this.#options.factory({ instanceKey, user, jobs, log });
    this.#instances.set(instanceKey, starting);
    starting.catch(() => this.#instances.delete(instanceKey));
    return starting;
  }

  /** Instances that are running (started successfully), for broadcasts. */
  async running(): Promise<PluginInstance[]> {
    const settled = await Promise.allSettled(this.#instances.values());
    return settled.flatMap((result) => result.status === "fulfilled" ? [result.value] : []);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    const instances = await this.running();
    this.#instances.clear();
    await Promise.allSettled(instances.map((instance) => instance[Symbol.asyncDispose]()));
  }
}
