/**
 * Which output a Launcher asks for: stdout, stderr, or both.
 *
 * @example
 * ```ts
 * import type { OutputRequest } from "./streams.ts";
 * const wanted: OutputRequest = "both";
 * ```
 */
export type OutputRequest = "stdout" | "stderr" | "both";

/** One piece of job output. `mixed` means stdout and stderr cannot be told apart. */
export interface OutputChunk {
  output: string;
  outputType: "stdout" | "stderr" | "mixed";
}

/**
 * A resource utilisation sample. CPU time in seconds, memory in MB, CPU in percent; every
 * member is optional (report what the scheduler knows).
 *
 * @example
 * ```ts
 * import type { ResourceUtil } from "./streams.ts";
 * const sample: ResourceUtil = { cpuPercent: 15, residentMemory: 350 };
 * ```
 */
export interface ResourceUtil {
  cpuPercent?: number;
  cpuTime?: number;
  virtualMemory?: number;
  residentMemory?: number;
}

/** The host and non-local addresses a running job can be reached at. */
export interface JobNetwork {
  host: string;
  ipAddresses: string[];
}

/**
 * A control operation on a job, with the status it requires (see {@linkcode REQUIRED_STATUS}).
 *
 * @example
 * ```ts
 * import type { JobOperation } from "./streams.ts";
 * const op: JobOperation = "stop";
 * ```
 */
export type JobOperation = "suspend" | "resume" | "stop" | "kill" | "cancel";

/**
 * The status a job must be in for each operation.
 *
 * @example
 * ```ts
 * import { REQUIRED_STATUS } from "./streams.ts";
 * REQUIRED_STATUS.cancel; // "Pending"
 * ```
 */
export const REQUIRED_STATUS = {
  suspend: "Running",
  resume: "Suspended",
  stop: "Running",
  kill: "Running",
  cancel: "Pending",
} as const;

/** What a control operation reports: a message and whether it has already completed. */
export interface ControlResult {
  statusMessage: string;
  operationComplete: boolean;
}

/** A Launcher node of a load-balanced deployment (SetLoadBalancerNodes). */
export interface LoadBalancerNode {
  host: string;
  ipv4?: string;
  port?: string;
  lastSeen?: string;
  status?: string;
}
