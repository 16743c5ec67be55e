/**
 * The Launchbox plugin SDK: the only module a plugin imports.
 *
 * @example
 * ```ts
 * import { definePlugin, ErrorCode, LauncherError } from "./mod.ts";
 * export default definePlugin((ctx) => ({
 *   async submitJob(job) {
 *     ctx.log.info("Submitting", { job: job.id });
 *     return { status: "Running" };
 *   },
 *   async controlJob(job, operation) {
 *     throw new LauncherError(ErrorCode.RequestNotSupported, `${operation} of ${job.id}`);
 *   },
 *   async *jobOutput() {},
 *   async clusterInfo() {
 *     return { queues: ["default"] };
 *   },
 * }));
 * ```
 *
 * @module
 */
export type { ClusterInfo, ResourceProfile } from "./cluster_info.ts";
export type { Clock, JobsHandle, LogFields, Logger, PluginContext } from "./context.ts";
export type {
  Container,
  EnvVar,
  ExposedPort,
  Job,
  JobConfig,
  JobFilter,
  JobUpdate,
  Mount,
  MountSource,
  PlacementConstraint,
  ResourceLimit,
} from "./job.ts";
export {
  canTransition,
  isJobStatus,
  isTerminalStatus,
  JOB_STATUSES,
  type JobStatus,
} from "./job_status.ts";
export { ErrorCode, errorCodeOf, LauncherError } from "./launcher_error.ts";
export {
  JOB_UPDATE_FIELDS,
  jobUpdateFieldProblem,
  type JobUpdateKind,
} from "./job_update_fields.ts";
export {
  type CallOptions,
  ConfigReloadError,
  type ConfigReloadStage,
  definePlugin,
  type LauncherPlugin,
  type LauncherPluginDefinition,
  type LauncherPluginFactory,
  type UserCallOptions,
} from "./launcher_plugin.ts";
export {
  type ControlResult,
  type JobNetwork,
  type JobOperation,
  type LoadBalancerNode,
  type OutputChunk,
  type OutputRequest,
  REQUIRED_STATUS,
  type ResourceUtil,
} from "./streams.ts";
export { followOutputFiles, OUTPUT_POLL_MS } from "./output_files.ts";
export { LAUNCHER_API_VERSION, SDK_MAJOR } from "./version.ts";
