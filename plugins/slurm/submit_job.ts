import {
  ErrorCode,
  type Job,
  type JobUpdate,
  LauncherError,
  type PluginContext,
} from "@launchbox/sdk";
import { jobFiles } from "./job_files.ts";
import type { JobTracker } from "./job_tracker.ts";
import { sbatchRequest } from "./sbatch_request.ts";
import { type SlurmCli, SlurmCommandError } from "./slurm_cli.ts";

/** The metadata key that records a job's Slurm job ID, so a restarted plugin finds it. */
export const SLURM_JOB_ID_KEY = "slurmJobId";

/**
 * Submits a Launcher job with `sbatch --parsable`: writes its stdin to a file beside its
 * output, starts tracking the Slurm job, and returns the output paths and the Slurm job
 * ID (in `metadata.slurmJobId`). Slurm's own refusals become InvalidRequest errors.
 */
export async function submitJob(
  { cli, tracker, filesRoot }: { cli: SlurmCli; tracker: JobTracker; filesRoot: string },
  job: Job,
  signal: AbortSignal,
): Promise<JobUpdate> {
  const files = jobFiles(filesRoot, job);
  const request = sbatchRequest(job, files);
  await Deno.mkdir(files.dir, { recursive: true, mode: 0o700 });
  await Deno.writeTextFile(files.stdin, job.stdin ?? "");
  let answer: string;
  try {
    answer = await cli.run("sbatch", request.args, { signal, stdin: request.script });
  } catch (error) {
    const said = error instanceof SlurmCommandError ? error.stderr.trim() : String(error);
    const code = /invalid|not available|unrecognized|requested|unable to allocate/i.test(said)
      ? ErrorCode.InvalidRequest
      : ErrorCode.Unknown;
    throw new LauncherError(code, `Cannot submit job ${job.id} to Slurm: ${said}`, {
      cause: error,
    });
  }
  // --parsable answers "<id>" or "<id>;<cluster>".
  const slurmId = answer.trim().split(";")[0] ?? "";
  if (!/^\d+(_\d+)?$/.test(slurmId)) {
    throw new LauncherError(ErrorCode.Unknown, `sbatch answered "${answer.trim()}", not a job ID`);
  }
  tracker.track(job.id, slurmId);
  return {
    statusMessage: `Submitted as Slurm job ${slurmId}`,
    stdoutFile: files.stdout,
    stderrFile: files.stderr,
    metadata: { ...job.metadata, [SLURM_JOB_ID_KEY]: slurmId },
  };
}

/** The Slurm job ID recorded for a job at submit, if any. */
export function recordedSlurmId(job: Job): string | undefined {
  const value = job.metadata?.[SLURM_JOB_ID_KEY];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** Re-adopts live jobs after a restart: each recorded Slurm job is tracked again. */
export async function recoverJobs(
  { ctx, tracker }: { ctx: PluginContext; tracker: JobTracker },
  jobs: readonly Job[],
): Promise<void> {
  for (const job of jobs) {
    const slurmId = recordedSlurmId(job);
    if (slurmId) {
      tracker.track(job.id, slurmId);
      continue;
    }
    await ctx.jobs.update(job.id, {
      status: "Failed",
      statusMessage: "The plugin stopped before Slurm accepted this job; it was never submitted",
    });
  }
  await tracker.pollNow();
}
