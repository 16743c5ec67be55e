import type { JobStatus } from "./job_status.ts";

/** A container a job runs in. */
export interface Container {
  image: string;
  runAsUserId?: number;
  runAsGroupId?: number;
  supplementalGroupIds?: number[];
}

/** An environment variable given to a job. */
export interface EnvVar {
  name: string;
  value: string;
}

/** A placement constraint selected for a job, or offered by the cluster. */
export interface PlacementConstraint {
  name: string;
  value?: string;
}

/** A port a job exposes. `protocol` defaults to `"TCP"`. */
export interface ExposedPort {
  targetPort: number;
  publishedPort?: number;
  protocol?: string;
}

/** Where a mount's data comes from; `source` fields depend on `type` (host, nfs, cephFs, …). */
export interface MountSource {
  type: string;
  source: Record<string, unknown>;
}

/**
 * A mount in the API 3.6 shape. The host also accepts the flat 3.0 shape
 * (`type`/`source` beside `mountPath`) and hands plugins this nested form.
 */
export interface Mount {
  mountPath: string;
  name?: string;
  readOnly?: boolean;
  mountSource: MountSource;
}

/** A custom per-job setting; `valueType` is string, int, float, enum (or bool). */
export interface JobConfig {
  name: string;
  valueType?: string;
  value?: string;
}

/** A resource limit: in a job `type` and `value`; in cluster info `maxValue`/`defaultValue`. */
export interface ResourceLimit {
  type: string;
  value?: string;
  defaultValue?: string;
  maxValue?: string;
}

/**
 * A job as the Launcher Plugin API 3.6 describes it. Every field but `id` is optional on
 * the wire; unknown fields a Launcher sends are kept and echoed back unchanged.
 *
 * @example
 * ```ts
 * import type { Job } from "./job.ts";
 * const job: Job = { id: "job-1", user: "alice", command: "echo hi", status: "Pending" };
 * ```
 */
export interface Job {
  id: string;
  cluster?: string;
  name?: string;
  user?: string;
  group?: string;
  queues?: string[];
  workingDirectory?: string;
  container?: Container;
  host?: string;
  status?: JobStatus;
  statusMessage?: string;
  statusCode?: string;
  pid?: number;
  exitCode?: number;
  command?: string;
  exe?: string;
  args?: string[];
  stdin?: string;
  stdoutFile?: string;
  stderrFile?: string;
  environment?: EnvVar[];
  placementConstraints?: PlacementConstraint[];
  /** RFC 3339 time in UTC, e.g. `2024-05-01T12:00:00.000Z`. */
  lastUpdateTime?: string;
  /** RFC 3339 time in UTC, set by the host when the job is submitted. */
  submissionTime?: string;
  exposedPorts?: ExposedPort[];
  mounts?: Mount[];
  config?: JobConfig[];
  resourceLimits?: ResourceLimit[];
  tags?: string[];
  metadata?: Record<string, unknown>;
  resourceProfile?: string;
  instanceId?: string;
}

/**
 * The fields a plugin may change on a job it owns, through `ctx.jobs.update` or the value
 * it returns from `submitJob`. The host stamps `lastUpdateTime` and refuses a terminal
 * status regressing.
 *
 * @example
 * ```ts
 * import type { JobUpdate } from "./job.ts";
 * const started: JobUpdate = { status: "Running", pid: 4242, host: "node-1" };
 * ```
 */
export type JobUpdate = Partial<
  Pick<
    Job,
    | "status"
    | "statusMessage"
    | "statusCode"
    | "pid"
    | "exitCode"
    | "host"
    | "queues"
    | "stdoutFile"
    | "stderrFile"
    | "metadata"
  >
>;

/**
 * A GetJobs filter. Absent members do not restrict; present ones combine with AND.
 *
 * @example
 * ```ts
 * import type { JobFilter } from "./job.ts";
 * const running: JobFilter = { statuses: ["Running"], tags: ["nightly"] };
 * ```
 */
export interface JobFilter {
  /** A job must carry every one of these tags. */
  tags?: string[];
  /** A job's status must be one of these. */
  statuses?: JobStatus[];
  /** Excludes jobs submitted before this time (inclusive bound). */
  startTime?: Date;
  /** Excludes jobs submitted after this time (inclusive bound). */
  endTime?: Date;
}
