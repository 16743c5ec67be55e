/**
 * The seven job statuses of the Launcher Plugin API, exactly as they appear on the wire.
 *
 * @example
 * ```ts
 * import { isTerminalStatus } from "./job_status.ts";
 * isTerminalStatus("Finished"); // true
 * ```
 */
export type JobStatus =
  | "Pending"
  | "Running"
  | "Suspended"
  | "Finished"
  | "Failed"
  | "Killed"
  | "Canceled";

/**
 * Every status, in lifecycle order.
 *
 * @example
 * ```ts
 * import { JOB_STATUSES } from "./job_status.ts";
 * JOB_STATUSES.includes("Running"); // true
 * ```
 */
export const JOB_STATUSES: readonly JobStatus[] = [
  "Pending",
  "Running",
  "Suspended",
  "Finished",
  "Failed",
  "Killed",
  "Canceled",
];

const TERMINAL: ReadonlySet<JobStatus> = new Set(["Finished", "Failed", "Killed", "Canceled"]);

/**
 * Whether a status is final: a job in it never changes status again.
 *
 * @example
 * ```ts
 * import { isTerminalStatus } from "./job_status.ts";
 * isTerminalStatus("Running"); // false
 * ```
 */
export function isTerminalStatus(status: JobStatus): boolean {
  return TERMINAL.has(status);
}

/**
 * Whether a value is one of the seven status strings.
 *
 * @example
 * ```ts
 * import { isJobStatus } from "./job_status.ts";
 * isJobStatus("running"); // false: statuses are case-sensitive on the wire
 * ```
 */
export function isJobStatus(value: unknown): value is JobStatus {
  return typeof value === "string" && (JOB_STATUSES as readonly string[]).includes(value);
}

/**
 * Whether a job may move from one status to another. Terminal statuses never change; any
 * live status may end; Pending may start; Running and Suspended swap; a scheduler may
 * requeue a Running job to Pending. A status "moving" to itself is allowed (a new message).
 *
 * @example
 * ```ts
 * import { canTransition } from "./job_status.ts";
 * canTransition("Finished", "Running"); // false
 * canTransition("Pending", "Canceled"); // true
 * ```
 */
export function canTransition(from: JobStatus, to: JobStatus): boolean {
  if (isTerminalStatus(from)) return from === to;
  if (from === to || isTerminalStatus(to)) return true;
  switch (from) {
    case "Pending":
      return to === "Running" || to === "Suspended";
    case "Running":
      return to === "Suspended" || to === "Pending";
    case "Suspended":
      return to === "Running";
  }
  return false;
}
