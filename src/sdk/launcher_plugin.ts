import type { ClusterInfo } from "./cluster_info.ts";
import type { PluginContext } from "./context.ts";
import type { Job, JobUpdate } from "./job.ts";
import type {
  ControlResult,
  JobNetwork,
  JobOperation,
  LoadBalancerNode,
  OutputChunk,
  OutputRequest,
  ResourceUtil,
} from "./streams.ts";

/** Options every plugin call receives. The signal aborts on cancel, deadline or shutdown. */
export interface CallOptions {
  readonly signal: AbortSignal;
}

/** Options of calls made on behalf of a user (`"*"` for an administrator). */
export interface UserCallOptions extends CallOptions {
  readonly user: string;
}

/**
 * A scheduler plugin for the Posit Job Launcher. The host answers every read (GetJob,
 * GetJobs, status streams) from its own store; a plugin does the scheduler's work and
 * reports changes through `ctx.jobs`. Methods run concurrently; streams end when the
 * signal aborts. Throw a `LauncherError` to choose the error code the Launcher sees.
 *
 * @example
 * ```ts
 * import type { LauncherPlugin } from "./launcher_plugin.ts";
 * const plugin: LauncherPlugin = {
 *   async submitJob(job) {
 *     return { status: "Running", host: "localhost", statusMessage: `started ${job.id}` };
 *   },
 *   async controlJob(_job, operation) {
 *     return { statusMessage: `Job ${operation} successful`, operationComplete: true };
 *   },
 *   async *jobOutput() {
 *     yield { output: "hello\n", outputType: "stdout" };
 *   },
 *   async clusterInfo() {
 *     return { queues: ["default"] };
 *   },
 * };
 * ```
 */
export interface LauncherPlugin {
  /**
   * Starts a job. The host has stored it already, with its ID, user, submission time and
   * status `Pending`; return the fields the scheduler set (or nothing). Throwing removes
   * the job and answers the Launcher with the error.
   */
  submitJob(job: Job, options: CallOptions): Promise<JobUpdate | void>;
  /** Suspends, resumes, stops, kills or cancels a job whose status allows it. */
  controlJob(job: Job, operation: JobOperation, options: CallOptions): Promise<ControlResult>;
  /** Streams a job's output from the start; ending the iterable completes the stream. */
  jobOutput(job: Job, wanted: OutputRequest, options: CallOptions): AsyncIterable<OutputChunk>;
  /** Streams resource samples of a running job; called only while the job runs. */
  jobResourceUtil?(job: Job, options: CallOptions): AsyncIterable<ResourceUtil>;
  /** Where a running job can be reached. Without it the host reports its own address. */
  jobNetwork?(job: Job, options: CallOptions): Promise<JobNetwork>;
  /** What the cluster offers this user. */
  clusterInfo(options: UserCallOptions): Promise<ClusterInfo>;
  /**
   * Called once when an instance starts with the live (non-terminal) jobs it owns, so it
   * can re-adopt processes or ask the scheduler what happened while the host was down.
   */
  recover?(jobs: readonly Job[], options: CallOptions): Promise<void>;
  /** Re-reads configuration; throw a `ConfigReloadError` to report what failed. */
  reloadConfig?(options: CallOptions): Promise<void>;
  /** Learns the Launcher nodes of a load-balanced deployment. */
  syncNodes?(nodes: readonly LoadBalancerNode[], options: CallOptions): Promise<void>;
  /** Releases resources when the instance stops. */
  close?(): Promise<void>;
}

/** Builds a plugin instance from its context. */
export type LauncherPluginFactory = (
  ctx: PluginContext,
) => LauncherPlugin | Promise<LauncherPlugin>;

/** What a launcher plugin module exports as `default`. */
export interface LauncherPluginDefinition {
  readonly kind: "launcher";
  readonly create: LauncherPluginFactory;
}

/**
 * Declares a launcher plugin; export the result as the module's default.
 *
 * @example
 * ```ts
 * import { definePlugin } from "./launcher_plugin.ts";
 * export default definePlugin((ctx) => ({
 *   async submitJob() {
 *     ctx.log.info("Submitting");
 *     return { status: "Running" };
 *   },
 *   async controlJob(_job, op) {
 *     return { statusMessage: `Job ${op} successful`, operationComplete: true };
 *   },
 *   async *jobOutput() {},
 *   async clusterInfo() {
 *     return {};
 *   },
 * }));
 * ```
 */
export function definePlugin(create: LauncherPluginFactory): LauncherPluginDefinition {
  return { kind: "launcher", create };
}

/** Which stage of a config reload failed, as ConfigReload responses report it. */
export type ConfigReloadStage = "unknown" | "load" | "validate" | "save";

/**
 * Thrown by `reloadConfig` to tell the Launcher which stage failed.
 *
 * @example
 * ```ts
 * import { ConfigReloadError } from "./launcher_plugin.ts";
 * function validate(nodes: string[]) {
 *   if (nodes.length === 0) throw new ConfigReloadError("validate", "queue \"gpu\" has no nodes");
 * }
 * ```
 */
export class ConfigReloadError extends Error {
  override readonly name = "ConfigReloadError";
  readonly stage: ConfigReloadStage;

  constructor(stage: ConfigReloadStage, message: string, options?: ErrorOptions) {
    super(message, options);
    this.stage = stage;
  }
}
