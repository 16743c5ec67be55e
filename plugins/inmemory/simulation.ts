import type { Clock, Job, JobsHandle, JobUpdate, Logger } from "@launchbox/sdk";
import type { Timings } from "./timings.ts";

/**
 * One simulated job: Pending for `pendingMs`, Running for `runMs` (forever with the
 * `long-running` tag), then Finished with exit code 0. Suspending pauses the run clock.
 */
export class Simulation {
  readonly jobId: string;
  readonly #deps: { clock: Clock; jobs: JobsHandle; log: Logger; timings: Timings };
  readonly #longRunning: boolean;
  #timer = new AbortController();
  #ranMs = 0;
  #runningSince: number | undefined;
  #ended = false;

  constructor(job: Job, deps: { clock: Clock; jobs: JobsHandle; log: Logger; timings: Timings }) {
    this.jobId = job.id;
    this.#deps = deps;
    this.#longRunning = job.tags?.includes("long-running") ?? false;
  }

  /** Milliseconds the job has spent Running so far. */
  get ranMs(): number {
    const now = this.#deps.clock.now().getTime();
    return this.#ranMs + (this.#runningSince === undefined ? 0 : now - this.#runningSince);
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Starts the lifecycle from Pending (or resumes a Running job after a host restart). */
  start(status: "Pending" | "Running", alreadyRanMs = 0): void {
    this.#ranMs = alreadyRanMs;
    if (status === "Pending") this.#after(this.#deps.timings.pendingMs, () => this.#run());
    else this.#run(false);
  }

  suspend(): Promise<void> {
    this.#ranMs = this.ranMs;
    this.#runningSince = undefined;
    this.#timer.abort();
    return this.#report({ status: "Suspended", statusMessage: "Suspended by request" });
  }

  async resume(): Promise<void> {
    await this.#run();
  }

  /** Ends the job now with a terminal status (stop, kill, cancel). */
  async end(change: JobUpdate): Promise<void> {
    this.#ranMs = this.ranMs;
    this.#runningSince = undefined;
    this.#ended = true;
    this.#timer.abort();
    await this.#report(change);
  }

  /** Stops the timers without touching the job (the instance is closing). */
  dispose(): void {
    this.#timer.abort();
  }

  async #run(announce = true): Promise<void> {
    this.#runningSince = this.#deps.clock.now().getTime();
    if (announce) {
      await this.#report({ status: "Running", statusMessage: "Running", host: "localhost" });
    }
    if (this.#longRunning) return;
    const left = Math.max(0, this.#deps.timings.runMs - this.#ranMs);
    this.#after(
      left,
      () => this.end({ status: "Finished", exitCode: 0, statusMessage: "Completed" }),
    );
  }

  #after(ms: number, then: () => Promise<void>): void {
    this.#timer = new AbortController();
    this.#deps.clock.sleep(ms, this.#timer.signal).then(then, () => {});
  }

  async #report(change: JobUpdate): Promise<void> {
    try {
      await this.#deps.jobs.update(this.jobId, change);
    } catch (error) {
      this.#deps.log.warn("Cannot report a job change", { job: this.jobId, error });
    }
  }
}
