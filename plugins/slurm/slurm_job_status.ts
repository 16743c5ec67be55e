import type { JobStatus, JobUpdate } from "@launchbox/sdk";
import type { ExitStatus, SlurmJobRow } from "./slurm_parse.ts";

/** A control operation this plugin asked Slurm for, which changes how an end is read. */
export type Requested = "stop" | "kill";

/** What the plugin knows about a job beyond Slurm's row. */
export interface JobHistory {
  /** The stop or kill sent to it, if any. */
  readonly requested?: Requested;
  /** Whether the plugin has seen it running. */
  readonly ran?: boolean;
}

const WAITING = new Set([
  "PENDING",
  "CONFIGURING",
  "REQUEUED",
  "REQUEUE_HOLD",
  "REQUEUE_FED",
  "RESV_DEL_HOLD",
]);
const RUNNING = new Set(["RUNNING", "COMPLETING", "SIGNALING", "STAGE_OUT", "RESIZING"]);
const SUSPENDED = new Set(["SUSPENDED", "STOPPED"]);
/** Ends where the job was stopped while running, by a limit or by the cluster. */
const ENDED_BY_SLURM: Readonly<Record<string, string>> = {
  TIMEOUT: "Reached its time limit",
  DEADLINE: "Reached its deadline",
  PREEMPTED: "Preempted by a higher-priority job",
  OUT_OF_MEMORY: "Ran out of memory",
};
/** Ends where Slurm could not run the job (or lost it). */
const FAILED: Readonly<Record<string, string>> = {
  NODE_FAIL: "Its node failed",
  BOOT_FAIL: "Its node failed to boot",
  SPECIAL_EXIT: "Ended in a special exit state",
  REVOKED: "Revoked by a sibling cluster",
};

/**
 * The Launcher status of a Slurm job row, with a status message, Slurm's state as
 * `statusCode`, the exit code of an ended job, and its host and queue. Ends follow the
 * protocol: a job that ran and exited, whatever its code, is Finished, and so is one the
 * plugin stopped (SIGTERM, exit 143), as on every bundled plugin; one ended by SIGKILL, a
 * limit or a kill is Killed; one cancelled before it ran is Canceled; one Slurm could not
 * run is Failed. `undefined` for a state this plugin does not know.
 */
export function jobUpdateFor(row: SlurmJobRow, history: JobHistory = {}): JobUpdate | undefined {
  const status = statusOf(row, history);
  if (!status) return undefined;
  const update: JobUpdate = {
    status,
    statusCode: row.state,
    statusMessage: messageOf(row, status, history),
  };
  if (row.batchHost) update.host = row.batchHost;
  if (row.partition) update.queues = row.partition.split(",");
  if (status === "Finished" || status === "Killed") {
    update.exitCode = exitCodeOf(row, history);
  }
  return update;
}

function statusOf(row: SlurmJobRow, history: JobHistory): JobStatus | undefined {
  const { state } = row;
  if (WAITING.has(state)) return "Pending";
  if (RUNNING.has(state)) return "Running";
  if (SUSPENDED.has(state)) return "Suspended";
  const ran = history.ran === true || row.batchHost !== "";
  if (history.requested === "stop" && ran && (state === "CANCELLED" || state === "FAILED")) {
    // Stop is SIGTERM: Finished, as the protocol has it, unless Slurm had to SIGKILL it.
    return row.exit.signal === 9 ? "Killed" : "Finished";
  }
  switch (state) {
    case "COMPLETED":
      return "Finished";
    case "CANCELLED":
      return ran ? "Killed" : "Canceled";
    case "FAILED":
      if (row.exit.signal > 0 || history.requested) return "Killed";
      return ran && row.reason === "NonZeroExitCode" ? "Finished" : "Failed";
  }
  if (state in ENDED_BY_SLURM) return ran ? "Killed" : "Failed";
  if (state in FAILED) return "Failed";
  return undefined;
}

function messageOf(row: SlurmJobRow, status: JobStatus, history: JobHistory): string {
  const reason = row.reason && row.reason !== "None" ? row.reason : "";
  switch (status) {
    case "Pending":
      return reason ? `Waiting in Slurm: ${reason}` : "Waiting in Slurm";
    case "Running":
      return row.state === "RUNNING" ? "Running" : `Running (${row.state.toLowerCase()})`;
    case "Suspended":
      return "Suspended";
    case "Canceled":
      return "Canceled before it started";
  }
  if (history.requested) return history.requested === "stop" ? "Stopped" : "Killed";
  const ended = ENDED_BY_SLURM[row.state] ?? FAILED[row.state];
  if (ended) return ended;
  if (row.state === "CANCELLED") return "Canceled in Slurm while running";
  if (row.exit.signal > 0) return `Ended by signal ${row.exit.signal}`;
  if (status === "Failed") return reason ? `Slurm could not run it: ${reason}` : "Failed";
  return row.exit.code === 0 ? "Completed" : `Exited with code ${row.exit.code}`;
}

function exitCodeOf(row: SlurmJobRow, history: JobHistory): number {
  const exit: ExitStatus = row.exit;
  if (exit.signal > 0) return 128 + exit.signal;
  if (exit.code !== 0 || row.state === "COMPLETED") return exit.code;
  return history.requested === "stop" ? 143 : 137;
}
