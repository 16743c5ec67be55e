import type { Job, JobFilter, JobUpdate } from "./job.ts";

/** Structured fields attached to a log line. */
export type LogFields = Record<string, unknown>;

/**
 * A structured logger. Lines go to the host's log (stderr and `--logging-dir`), tagged with
 * the plugin and instance; a plugin never writes to stdout.
 *
 * @example
 * ```ts
 * import type { Logger } from "./context.ts";
 * function report(log: Logger) {
 *   log.with({ job: "job-1" }).info("Job started", { pid: 4242 });
 * }
 * ```
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  with(fields: LogFields): Logger;
}

/**
 * Time as a plugin sees it; tests pass a fake to make lifecycles instant.
 *
 * @example
 * ```ts
 * import type { Clock } from "./context.ts";
 * async function tick(clock: Clock, signal: AbortSignal) {
 *   await clock.sleep(500, signal);
 *   return clock.now().toISOString();
 * }
 * ```
 */
export interface Clock {
  now(): Date;
  /** Resolves after `ms` milliseconds; rejects with the signal's reason when it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * The plugin's handle on the host's job store. The host owns jobs: it assigns IDs, keeps
 * them across restarts, and serves every read the Launcher makes. A plugin reports what
 * its scheduler does through `update`.
 *
 * @example
 * ```ts
 * import type { JobsHandle } from "./context.ts";
 * async function finish(jobs: JobsHandle, id: string) {
 *   await jobs.update(id, { status: "Finished", exitCode: 0 });
 * }
 * ```
 */
export interface JobsHandle {
  /** The job with this ID owned by this plugin instance, if any. */
  get(id: string): Promise<Job | undefined>;
  /** Jobs owned by this plugin instance that match the filter. */
  list(filter?: JobFilter): Promise<Job[]>;
  /**
   * Merges a change into a job and notifies status streams. Resolves the updated job, or
   * `undefined` when the job no longer exists. A terminal status never changes again.
   */
  update(id: string, change: JobUpdate): Promise<Job | undefined>;
}

/**
 * What the host hands a plugin when it creates an instance.
 *
 * @example
 * ```ts
 * import type { PluginContext } from "./context.ts";
 * function describe(ctx: PluginContext): string {
 *   return `${ctx.pluginName} instance ${ctx.instanceKey} in ${ctx.instanceDir}`;
 * }
 * ```
 */
export interface PluginContext {
  /** The plugin's manifest name. */
  readonly pluginName: string;
  /** Which instance this is: `shared`, a tenant, or `<tenant>/<user>`. */
  readonly instanceKey: string;
  /** A private directory for this instance, readable and writable by it. */
  readonly instanceDir: string;
  /** Settings from the plugin config file (`launcher.<name>.conf`) and the manifest. */
  readonly config: Readonly<Record<string, string>>;
  readonly log: Logger;
  readonly clock: Clock;
  readonly jobs: JobsHandle;
}
