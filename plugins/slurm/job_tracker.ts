import { isTerminalStatus, type JobUpdate, type PluginContext } from "@launchbox/sdk";
import { type SlurmCli, SlurmCommandError } from "./slurm_cli.ts";
import { jobUpdateFor, type Requested } from "./slurm_job_status.ts";
import {
  parseSacctRows,
  parseSqueueRows,
  SACCT_FORMAT,
  type SlurmJobRow,
  SQUEUE_FORMAT,
} from "./slurm_parse.ts";

/** Default time between two `squeue` polls of the tracked jobs (config `poll-ms`). */
export const POLL_MS = 1_000;
/** Polls in a row that must miss a job before it counts as forgotten by Slurm. */
export const MISSES_LIMIT = 5;

interface Tracked {
  readonly slurmId: string;
  requested?: Requested;
  ran: boolean;
  /** When (epoch ms) the job was last seen starting to run, or resumed. */
  startedAt?: number;
  /** Consecutive polls in which neither squeue nor sacct knew the job. */
  misses: number;
  /** The last status and message reported, so unchanged polls report nothing. */
  reported: string;
  ended: PromiseWithResolvers<void>;
}

/**
 * Follows Slurm jobs until they end: polls `squeue --states=all` for every tracked job at
 * once, falls back to `sacct` for jobs squeue has forgotten (when accounting runs), and
 * reports each change of status through `ctx.jobs`.
 */
export class JobTracker {
  readonly #ctx: PluginContext;
  readonly #cli: SlurmCli;
  readonly #pollMs: number;
  readonly #jobs = new Map<string, Tracked>();
  readonly #closed = new AbortController();
  #polling = false;

  constructor(ctx: PluginContext, cli: SlurmCli) {
    this.#ctx = ctx;
    this.#cli = cli;
    this.#pollMs = Number(ctx.config["poll-ms"]) || POLL_MS;
  }

  /** Starts following Launcher job `id`, which is Slurm job `slurmId`. */
  track(id: string, slurmId: string): void {
    if (this.#jobs.has(id)) return;
    this.#jobs.set(id, {
      slurmId,
      ran: false,
      misses: 0,
      reported: "",
      ended: Promise.withResolvers(),
    });
    if (!this.#polling) void this.#pollLoop();
  }

  /** The Slurm job ID of a tracked job. */
  slurmId(id: string): string | undefined {
    return this.#jobs.get(id)?.slurmId;
  }

  /** Records a stop or kill, so the end is reported as its outcome. */
  requested(id: string, operation: Requested): void {
    const job = this.#jobs.get(id);
    if (job) job.requested = operation;
  }

  /** Records a resume: like a start, slurmd may drop a signal sent soon after it. */
  resumed(id: string): void {
    const job = this.#jobs.get(id);
    if (job) job.startedAt = this.#ctx.clock.now().getTime();
  }

  /** Whether the job started or resumed less than `ms` ago. */
  startedWithin(id: string, ms: number): boolean {
    const startedAt = this.#jobs.get(id)?.startedAt;
    return startedAt !== undefined && this.#ctx.clock.now().getTime() - startedAt < ms;
  }

  /** Resolves `true` once the job has ended, or `false` after `ms`. */
  async waitForEnd(id: string, ms: number): Promise<boolean> {
    const job = this.#jobs.get(id);
    if (!job) return true;
    const timeout = this.#ctx.clock.sleep(ms, this.#closed.signal).then(() => false, () => false);
    return await Promise.race([job.ended.promise.then(() => true), timeout]);
  }

  /** Polls Slurm once now (after a control operation, to report it sooner). */
  async pollNow(): Promise<void> {
    await this.#poll().catch((error) =>
      this.#ctx.log.warn("Slurm poll failed", { error: `${error}` })
    );
  }

  close(): void {
    this.#closed.abort();
  }

  async #pollLoop(): Promise<void> {
    this.#polling = true;
    try {
      while (this.#jobs.size > 0 && !this.#closed.signal.aborted) {
        await this.pollNow();
        await this.#ctx.clock.sleep(this.#pollMs, this.#closed.signal).catch(() => {});
      }
    } finally {
      this.#polling = false;
    }
  }

  async #poll(): Promise<void> {
    const ids = [...new Set([...this.#jobs.values()].map((job) => job.slurmId))];
    if (ids.length === 0) return;
    const rows = new Map((await this.#squeue(ids)).map((row) => [row.jobId, row]));
    const missing = ids.filter((slurmId) => !rows.has(slurmId));
    if (missing.length > 0) {
      for (const row of await this.#sacct(missing)) {
        rows.set(row.jobId, row);
      }
    }
    for (const [id, job] of this.#jobs) {
      const row = rows.get(job.slurmId);
      job.misses = row ? 0 : job.misses + 1;
      // A job just accepted by sbatch may not be listed yet: only a lasting miss counts.
      const update = row
        ? jobUpdateFor(row, job)
        : job.misses >= MISSES_LIMIT
        ? forgotten(job.slurmId)
        : undefined;
      await this.#report(id, job, update);
    }
  }

  async #report(id: string, job: Tracked, update: JobUpdate | undefined): Promise<void> {
    if (!update?.status) return;
    if (update.status === "Running" && !job.ran) {
      job.ran = true;
      job.startedAt = this.#ctx.clock.now().getTime();
    }
    const key = `${update.status}|${update.statusMessage}`;
    if (key !== job.reported) {
      job.reported = key;
      const stored = await this.#ctx.jobs.update(id, update);
      if (!stored) return this.#forget(id, job);
    }
    if (isTerminalStatus(update.status)) this.#forget(id, job);
  }

  #forget(id: string, job: Tracked): void {
    this.#jobs.delete(id);
    job.ended.resolve();
  }

  async #squeue(ids: string[]): Promise<SlurmJobRow[]> {
    const args = ["-h", "--states=all", `--jobs=${ids.join(",")}`, "-O", SQUEUE_FORMAT];
    try {
      return parseSqueueRows(await this.#cli.run("squeue", args, { signal: this.#closed.signal }));
    } catch (error) {
      // squeue refuses a list made only of job IDs it has forgotten.
      if (error instanceof SlurmCommandError && /Invalid job id/i.test(error.stderr)) return [];
      throw error;
    }
  }

  /** Ended jobs from accounting; none when accounting is off (usual without slurmdbd). */
  async #sacct(ids: string[]): Promise<SlurmJobRow[]> {
    const args = ["-n", "-X", "-P", `--jobs=${ids.join(",")}`, "-o", SACCT_FORMAT];
    const text = await this.#cli.run("sacct", args, { signal: this.#closed.signal }).catch(() =>
      ""
    );
    return parseSacctRows(text);
  }
}

/** A job neither squeue nor sacct knows: Slurm purged it and kept no record. */
function forgotten(slurmId: string): JobUpdate {
  return {
    status: "Failed",
    statusMessage:
      `Slurm no longer knows job ${slurmId} and has no accounting record of it; its outcome is unknown`,
  };
}
