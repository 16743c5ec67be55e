import {
  ErrorCode,
  isTerminalStatus,
  type Job,
  LauncherError,
  type PluginContext,
  type ResourceUtil,
} from "@launchbox/sdk";
import type { SlurmCli } from "./slurm_cli.ts";
import { parseDuration, parseMemoryMiB } from "./slurm_parse.ts";

/** How often a running job is sampled with `sstat` (config `resource-poll-ms`). */
const SAMPLE_MS = 2_000;

/** The `sstat -o` fields {@linkcode parseSstat} reads (with `--parsable2`). */
export const SSTAT_FORMAT = "JobID,NTasks,AveCPU,AveRSS,AveVMSize";

/** A job's usage at one moment: CPU seconds so far and memory now, in MiB. */
export interface Usage {
  readonly cpuSeconds: number;
  readonly residentMiB: number;
  readonly virtualMiB: number;
}

/**
 * Sums `sstat -n -P -a -o SSTAT_FORMAT` rows over the job's steps (the batch script and
 * any `srun` steps), weighting per-task averages by the step's task count. `undefined`
 * when no step is running or sampled yet.
 */
export function parseSstat(text: string): Usage | undefined {
  const rows = text.split("\n").filter((line) => line.trim() !== "");
  if (rows.length === 0) return undefined;
  let cpuSeconds = 0, residentMiB = 0, virtualMiB = 0, sampled = 0;
  for (const row of rows) {
    const [, tasks = "1", cpu = "", rss = "", vsz = ""] = row.split("|");
    const n = Number(tasks) || 1;
    const seconds = parseDuration(cpu.includes(":") ? cpu : `0:${cpu}`) ?? 0;
    // A step slurmd has not sampled yet reports Slurm's "no value" (2^64 - 1 ms) as its CPU.
    if (seconds > UNSAMPLED_CPU_SECONDS) continue;
    sampled++;
    cpuSeconds += seconds * n;
    residentMiB += (parseMemoryMiB(rss) ?? 0) * n;
    virtualMiB += (parseMemoryMiB(vsz) ?? 0) * n;
  }
  return sampled > 0 ? { cpuSeconds, residentMiB, virtualMiB } : undefined;
}

/** More CPU time than a century: only Slurm's "no value" sentinel reads as this much. */
const UNSAMPLED_CPU_SECONDS = 100 * 365 * 24 * 3600;

/** A Launcher sample from two usages `elapsedMs` apart (CPU percent over that time). */
export function sampleOf(now: Usage, before: Usage | undefined, elapsedMs: number): ResourceUtil {
  const cpuPercent = before && elapsedMs > 0
    ? Math.max(0, (now.cpuSeconds - before.cpuSeconds) / (elapsedMs / 1000)) * 100
    : 0;
  return {
    cpuPercent,
    cpuTime: now.cpuSeconds,
    residentMemory: now.residentMiB,
    virtualMemory: now.virtualMiB,
  };
}

/**
 * Streams samples of a running Slurm job from `sstat` (which needs a JobAcctGather
 * plugin on the cluster) until the job ends or the signal aborts. Throws a LauncherError
 * naming sstat's complaint when Slurm cannot report usage, and JobNotRunning for a job
 * without a Slurm job ID.
 */
export async function* jobResources(
  { ctx, cli }: { ctx: PluginContext; cli: SlurmCli },
  job: Job,
  slurmId: string | undefined,
  signal: AbortSignal,
): AsyncIterable<ResourceUtil> {
  if (!slurmId) throw new LauncherError(ErrorCode.JobNotRunning, `Job ${job.id} has no Slurm job`);
  const sampleMs = Number(ctx.config["resource-poll-ms"]) || SAMPLE_MS;
  let before: { usage: Usage; at: number } | undefined;
  while (!signal.aborted) {
    const status = (await ctx.jobs.get(job.id))?.status ?? "Finished";
    if (isTerminalStatus(status)) return;
    let text: string;
    try {
      text = await cli.run("sstat", ["-n", "-P", "-a", "-j", slurmId, "-o", SSTAT_FORMAT], {
        signal,
      });
    } catch (error) {
      if (signal.aborted) return;
      throw new LauncherError(
        ErrorCode.Unknown,
        `Cannot read resource use of job ${job.id} (Slurm job ${slurmId}): ${error}`,
        { cause: error },
      );
    }
    const usage = parseSstat(text);
    const at = ctx.clock.now().getTime();
    if (usage) {
      yield sampleOf(usage, before?.usage, at - (before?.at ?? at));
      before = { usage, at };
    }
    await ctx.clock.sleep(sampleMs, signal).catch(() => {});
  }
}
