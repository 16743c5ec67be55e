import {
  type ControlResult,
  ErrorCode,
  type Job,
  type JobOperation,
  LauncherError,
  type PluginContext,
} from "@launchbox/sdk";
import { type SlurmCli, SlurmCommandError, type SlurmProgram } from "./slurm_cli.ts";
import type { JobTracker } from "./job_tracker.ts";

/** How long a stop, kill or cancel waits for Slurm to end the job before answering. */
export const CONTROL_WAIT_MS = 3_000;
/** How long after a start or resume a stop that seems lost is sent again. */
export const SIGNAL_RISK_MS = 10_000;

/** The command each operation runs, given the Slurm job ID. */
const COMMANDS: Record<JobOperation, (id: string) => [SlurmProgram, string[]]> = {
  stop: (id) => ["scancel", ["--signal=TERM", "--full", id]],
  kill: (id) => ["scancel", ["--signal=KILL", id]],
  cancel: (id) => ["scancel", [id]],
  suspend: (id) => ["scontrol", ["suspend", id]],
  resume: (id) => ["scontrol", ["resume", id]],
};

/**
 * Runs a control operation on a tracked Slurm job: stop sends SIGTERM to the batch script
 * and its steps, kill sends SIGKILL, cancel removes a pending job, suspend and resume go
 * through `scontrol` (which Slurm allows only to root and operators).
 */
export async function controlJob(
  { ctx, cli, tracker }: { ctx: PluginContext; cli: SlurmCli; tracker: JobTracker },
  job: Job,
  operation: JobOperation,
): Promise<ControlResult> {
  const slurmId = tracker.slurmId(job.id);
  if (!slurmId) {
    throw new LauncherError(
      ErrorCode.InvalidJobState,
      `Cannot ${operation} job ${job.id}: it has no live Slurm job`,
    );
  }
  const [program, args] = COMMANDS[operation](slurmId);
  if (operation === "stop" || operation === "kill") tracker.requested(job.id, operation);
  const title = operation[0]!.toUpperCase() + operation.slice(1);
  const send = () =>
    cli.run(program, args).catch((e) => throwControlError(job, operation, slurmId, e));
  await send();
  if (operation === "suspend" || operation === "resume") {
    const status = operation === "suspend" ? "Suspended" : "Running";
    if (operation === "resume") tracker.resumed(job.id);
    await ctx.jobs.update(job.id, { status, statusMessage: status });
    return { statusMessage: `Job ${title} successful`, operationComplete: true };
  }
  await tracker.pollNow();
  let done = await tracker.waitForEnd(job.id, CONTROL_WAIT_MS);
  // slurmd may drop a signal sent soon after a job starts or resumes (seen on 22.05): the
  // job keeps running although scancel succeeded. Signal once more; a second SIGKILL is
  // harmless, and a second SIGTERM only reaches jobs that had just started or resumed.
  const again = operation === "kill" ||
    (operation === "stop" && tracker.startedWithin(job.id, SIGNAL_RISK_MS));
  if (!done && again) {
    ctx.log.info("Signalling again: the job is still running", { job: job.id, operation });
    // The job may have ended since the wait gave up: Slurm then no longer knows its ID, which
    // answers the second signal as well as success would.
    await cli.run(program, args).catch((e) => {
      if (!endedAlready(e)) throwControlError(job, operation, slurmId, e);
    });
    await tracker.pollNow();
    done = await tracker.waitForEnd(job.id, CONTROL_WAIT_MS);
  }
  return {
    statusMessage: `Job ${title} ${done ? "successful" : "requested"}`,
    operationComplete: done,
  };
}

/** Whether Slurm refused a signal because the job has already ended or been purged. */
function endedAlready(error: unknown): boolean {
  return error instanceof SlurmCommandError && ENDED_ALREADY.test(error.stderr);
}

const ENDED_ALREADY = /already completing or completed|invalid job id/i;

function throwControlError(job: Job, operation: string, slurmId: string, error: unknown): never {
  throw controlError(job, operation, slurmId, error);
}

function controlError(job: Job, operation: string, slurmId: string, error: unknown): LauncherError {
  const said = error instanceof SlurmCommandError ? error.stderr.trim() : String(error);
  const what = `Cannot ${operation} job ${job.id} (Slurm job ${slurmId})`;
  if (/access\/permission denied|not authorized|permission/i.test(said)) {
    const who = operation === "suspend" || operation === "resume"
      ? "; Slurm lets only root and operators suspend or resume jobs"
      : "";
    return new LauncherError(
      ErrorCode.JobControlFailure,
      `${what}: not permitted${who} (${said})`,
      {
        cause: error,
      },
    );
  }
  if (ENDED_ALREADY.test(said)) {
    return new LauncherError(ErrorCode.InvalidJobState, `${what}: it has already ended (${said})`, {
      cause: error,
    });
  }
  return new LauncherError(ErrorCode.JobControlFailure, `${what}: ${said}`, { cause: error });
}
