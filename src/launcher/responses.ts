import type {
  ClusterInfo,
  ControlResult,
  Job,
  JobNetwork,
  OutputChunk,
  ResourceUtil,
} from "../sdk/mod.ts";
import type { ConfigReloadOutcome } from "./backend.ts";
import {
  type ApiVersion,
  ConfigReloadErrorType,
  ResponseType,
  type StreamSequence,
} from "./messages.ts";

/** A response before the session stamps its `responseId`. */
export type Response = Record<string, unknown> & { messageType: number; requestId: number };

export function errorResponse(requestId: number, code: number, message: string): Response {
  return { messageType: ResponseType.Error, requestId, errorCode: code, errorMessage: message };
}

/**
 * A Plugin API 3.7 Metrics message's body. Latency buckets are per-bucket counts (not
 * cumulative) over the bounds the Launcher uses; `memoryUsageBytes` 0 means unknown.
 */
export interface PluginMetricsSample {
  uptimeSeconds: number;
  memoryUsageBytes: number;
  clusterInteractionLatencySample?: { buckets: number[]; sum: number };
}

/** Metrics (203): unsolicited, `requestId` 0; the outbox gives it `responseId` 0. */
export function metricsResponse(sample: PluginMetricsSample): Response {
  return {
    messageType: ResponseType.Metrics,
    requestId: 0,
    uptimeSeconds: Math.floor(sample.uptimeSeconds),
    memoryUsageBytes: Math.floor(sample.memoryUsageBytes),
    ...(sample.clusterInteractionLatencySample
      ? { clusterInteractionLatencySample: sample.clusterInteractionLatencySample }
      : {}),
  };
}

export function heartbeatResponse(): Response {
  return { messageType: ResponseType.Heartbeat, requestId: 0 };
}

export function bootstrapResponse(requestId: number, version: ApiVersion): Response {
  return { messageType: ResponseType.Bootstrap, requestId, version: { ...version } };
}

export function jobStateResponse(requestId: number, jobs: Job[]): Response {
  return { messageType: ResponseType.JobState, requestId, jobs };
}

/** One status message serving every stream in `sequences`. */
export function jobStatusResponse(sequences: StreamSequence[], job: Job): Response {
  return { messageType: ResponseType.JobStatus, requestId: 0, sequences, ...jobStatusFields(job) };
}

/** The fields a JobStatus message tells of `job`, after its `sequences`. */
export function jobStatusFields(job: Job): Record<string, string> {
  const fields: Record<string, string> = {
    id: job.id,
    name: job.name ?? "",
    status: job.status ?? "Pending",
  };
  if (job.statusMessage) fields.statusMessage = job.statusMessage;
  if (job.statusCode) fields.statusCode = job.statusCode;
  return fields;
}

export function controlJobResponse(requestId: number, result: ControlResult): Response {
  return {
    messageType: ResponseType.ControlJob,
    requestId,
    statusMessage: result.statusMessage,
    operationComplete: result.operationComplete,
  };
}

export function jobOutputResponse(requestId: number, seqId: number, chunk: OutputChunk): Response {
  return {
    messageType: ResponseType.JobOutput,
    requestId,
    seqId,
    output: chunk.output,
    outputType: chunk.outputType,
    complete: false,
  };
}

export function jobOutputComplete(requestId: number, seqId: number): Response {
  return { messageType: ResponseType.JobOutput, requestId, seqId, complete: true };
}

export function resourceUtilResponse(sequence: StreamSequence, sample: ResourceUtil): Response {
  const message: Response = {
    messageType: ResponseType.ResourceUtil,
    requestId: 0,
    sequences: [sequence],
  };
  for (const key of ["cpuPercent", "cpuTime", "virtualMemory", "residentMemory"] as const) {
    const value = sample[key];
    if (typeof value === "number" && Number.isFinite(value)) message[key] = value;
  }
  message.complete = false;
  return message;
}

export function resourceUtilComplete(sequence: StreamSequence): Response {
  return {
    messageType: ResponseType.ResourceUtil,
    requestId: 0,
    sequences: [sequence],
    complete: true,
  };
}

export function jobNetworkResponse(requestId: number, network: JobNetwork): Response {
  return {
    messageType: ResponseType.JobNetwork,
    requestId,
    host: network.host,
    ipAddresses: [...network.ipAddresses],
  };
}

/** ClusterInfo with the lists the protocol always carries present (`[]` when empty). */
export function clusterInfoResponse(requestId: number, info: ClusterInfo): Response {
  const message: Response = {
    messageType: ResponseType.ClusterInfo,
    requestId,
    supportsContainers: info.supportsContainers ?? (info.images?.length ?? 0) > 0,
    config: info.config ?? [],
    placementConstraints: info.placementConstraints ?? [],
    resourceLimits: info.resourceLimits ?? [],
    allowUnknownImages: info.allowUnknownImages ?? false,
    resourceProfiles: info.resourceProfiles ?? [],
    containersUseHostNetwork: info.containersUseHostNetwork ?? false,
  };
  if (info.queues?.length) message.queues = info.queues;
  if (info.defaultQueue) message.defaultQueue = info.defaultQueue;
  if (info.images?.length) message.images = info.images;
  if (info.defaultImage) message.defaultImage = info.defaultImage;
  return message;
}

export function setLoadBalancerNodesResponse(requestId: number): Response {
  return { messageType: ResponseType.SetLoadBalancerNodes, requestId };
}

export function configReloadResponse(requestId: number, outcome: ConfigReloadOutcome): Response {
  return {
    messageType: ResponseType.ConfigReload,
    requestId,
    errorType: outcome.ok ? ConfigReloadErrorType.none : ConfigReloadErrorType[outcome.stage],
    errorMessage: outcome.ok ? "" : outcome.message,
  };
}
