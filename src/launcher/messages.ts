import type { Job, JobFilter, JobOperation, LoadBalancerNode, OutputRequest } from "../sdk/mod.ts";

/** Request message types, Launcher → plugin. */
export const RequestType = {
  Heartbeat: 0,
  Bootstrap: 1,
  SubmitJob: 2,
  GetJob: 3,
  GetJobStatus: 4,
  ControlJob: 5,
  GetJobOutput: 6,
  GetJobResourceUtil: 7,
  GetJobNetwork: 8,
  GetClusterInfo: 9,
  SetLoadBalancerNodes: 201,
  ConfigReload: 202,
} as const;

/** Response message types, plugin → Launcher (note the offset from request types). */
export const ResponseType = {
  Error: -1,
  Heartbeat: 0,
  Bootstrap: 1,
  JobState: 2,
  JobStatus: 3,
  ControlJob: 4,
  JobOutput: 5,
  ResourceUtil: 6,
  JobNetwork: 7,
  ClusterInfo: 8,
  SetLoadBalancerNodes: 201,
  ConfigReload: 202,
  /** Plugin API 3.7: unsolicited, sent on a timer after Bootstrap (see `metricsResponse`). */
  Metrics: 203,
} as const;

/** An API version triple. */
export interface ApiVersion {
  major: number;
  minor: number;
  patch: number;
}

interface UserFields {
  requestId: number;
  username: string;
  requestUsername: string;
}

interface JobFields extends UserFields {
  jobId: string;
  encodedJobId: string;
}

/** A decoded, validated request. */
export type LauncherRequest =
  | { type: "heartbeat"; requestId: number }
  | { type: "bootstrap"; requestId: number; version: ApiVersion }
  | { type: "submitJob"; job: Omit<Job, "id"> & { id?: string } } & UserFields
  | { type: "getJob"; filter: JobFilter; fields?: string[] } & JobFields
  | { type: "getJobStatus"; cancel: boolean } & JobFields
  | { type: "controlJob"; operation: JobOperation } & JobFields
  | { type: "getJobOutput"; cancel: boolean; outputType: OutputRequest } & JobFields
  | { type: "getJobResourceUtil"; cancel: boolean } & JobFields
  | { type: "getJobNetwork" } & JobFields
  | { type: "getClusterInfo" } & UserFields
  | { type: "setLoadBalancerNodes"; requestId: number; nodes: LoadBalancerNode[] }
  | { type: "configReload" } & UserFields;

/** The request kinds that open (or cancel) a stream. */
export type StreamRequest = Extract<
  LauncherRequest,
  { type: "getJobStatus" | "getJobOutput" | "getJobResourceUtil" }
>;

/** One entry of a multiplexed stream message's `sequences`. */
export interface StreamSequence {
  requestId: number;
  seqId: number;
}

/**
 * One job change for the status streams that see it: `sequences` is the JSON text of the
 * message's `sequences` entries, without brackets (see `SequenceList`), `count` their number.
 */
export interface JobStatusFanOut {
  readonly job: Job;
  readonly sequences: Uint8Array;
  readonly count: number;
}

/** The integer operations of ControlJob requests, in wire order. */
export const OPERATIONS: readonly JobOperation[] = ["suspend", "resume", "stop", "kill", "cancel"];

/** ConfigReload `errorType` values. */
export const ConfigReloadErrorType = {
  unknown: -1,
  none: 0,
  load: 1,
  validate: 2,
  save: 3,
} as const;
