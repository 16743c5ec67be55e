import type { ControlResult, Job, JobOperation, JobUpdate, PluginContext } from "@launchbox/sdk";
import { jobFiles, jobScript } from "./job_files.ts";
import { sh, signalGroup } from "./shell.ts";

interface Running {
  pgid: number;
  requested?: "stop" | "kill";
  exited: Promise<void>;
}

/** How long a stop or kill waits for the process before answering "in progress". */
const CONTROL_WAIT_MS = 3_000;
/** How often processes adopted after a restart are checked. */
const ADOPTED_POLL_MS = 1_000;

/**
 * Starts jobs as process groups, queues them beyond `max-running`, turns exits and
 * signals into job statuses, and re-adopts jobs that kept running while the plugin was
 * down (their script records the exit code in a file).
 */
export class JobRunner {
  readonly #ctx: PluginContext;
  readonly #maxRunning: number;
  readonly #running = new Map<string, Running>();
  readonly #queue: Job[] = [];
  readonly #stopPolling = new AbortController();

  constructor(ctx: PluginContext) {
    this.#ctx = ctx;
    this.#maxRunning = Number(ctx.config["max-running"] ?? 0) || Infinity;
  }

  async submit(job: Job): Promise<JobUpdate> {
    const files = jobFiles(this.#ctx.instanceDir, job);
    await Deno.mkdir(files.dir, { recursive: true });
    await Deno.writeTextFile(files.stdin, job.stdin ?? "");
    await Deno.writeTextFile(files.script, jobScript(job, files), { mode: 0o700 });
    const paths = { stdoutFile: files.stdout, stderrFile: files.stderr };
    if (this.#running.size >= this.#maxRunning) {
      this.#queue.push(job);
      return { ...paths, statusMessage: `Queued behind ${this.#running.size} running jobs` };
    }
    return { ...paths, ...this.#launch(job) };
  }

  async control(job: Job, operation: JobOperation): Promise<ControlResult> {
    if (operation === "cancel") return await this.#cancel(job);
    const running = this.#running.get(job.id);
    if (!running) {
      return {
        statusMessage: `Job ${job.id} has no process to ${operation}`,
        operationComplete: false,
      };
    }
    const signal = { suspend: "STOP", resume: "CONT", stop: "TERM", kill: "KILL" } as const;
    if (operation === "stop" || operation === "kill") running.requested = operation;
    await signalGroup(running.pgid, signal[operation]);
    if (operation === "suspend" || operation === "resume") {
      const status = operation === "suspend" ? "Suspended" : "Running";
      await this.#ctx.jobs.update(job.id, { status, statusMessage: status });
      return { statusMessage: `Job ${title(operation)} successful`, operationComplete: true };
    }
    const done = await Promise.race([
      running.exited.then(() => true),
      this.#ctx.clock.sleep(CONTROL_WAIT_MS).then(() => false),
    ]);
    return {
      statusMessage: `Job ${title(operation)} ${done ? "successful" : "requested"}`,
      operationComplete: done,
    };
  }

  /** Re-adopts live jobs after a restart: queued ones queue again, running ones are watched. */
  async recover(jobs: readonly Job[]): Promise<void> {
    for (const job of jobs) {
      if (job.status === "Pending") this.#queue.push(job);
      else if (job.pid && (await sh(`kill -0 -${job.pid}`)).code === 0) this.#adopt(job);
      else await this.#reportLost(job);
    }
    this.#launchQueued();
  }

  close(): void {
    this.#stopPolling.abort();
  }

  #launch(job: Job): JobUpdate {
    const files = jobFiles(this.#ctx.instanceDir, job);
    const child = new Deno.Command("/bin/sh", {
      args: [files.script],
      detached: true,
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    const entry: Running = { pgid: child.pid, exited: Promise.resolve() };
    entry.exited = child.status.then((status) => this.#finished(job.id, entry, status));
    this.#running.set(job.id, entry);
    this.#ctx.log.info("Job started", { job: job.id, pid: child.pid });
    return { status: "Running", statusMessage: "Running", pid: child.pid };
  }

  async #finished(id: string, entry: Running, status: Deno.CommandStatus): Promise<void> {
    this.#running.delete(id);
    await this.#ctx.jobs.update(id, outcome(entry.requested, status));
    this.#launchQueued();
  }

  #launchQueued(): void {
    while (this.#queue.length > 0 && this.#running.size < this.#maxRunning) {
      const job = this.#queue.shift()!;
      void this.#ctx.jobs.update(job.id, this.#launch(job));
    }
  }

  async #cancel(job: Job): Promise<ControlResult> {
    const index = this.#queue.findIndex((queued) => queued.id === job.id);
    if (index === -1) {
      return { statusMessage: `Job ${job.id} is no longer queued`, operationComplete: false };
    }
    this.#queue.splice(index, 1);
    await this.#ctx.jobs.update(job.id, {
      status: "Canceled",
      statusMessage: "Canceled before it started",
    });
    return { statusMessage: "Job Cancel successful", operationComplete: true };
  }

  #adopt(job: Job): void {
    const pgid = job.pid!;
    let resolve = () => {};
    const entry: Running = { pgid, exited: new Promise<void>((r) => resolve = r) };
    this.#running.set(job.id, entry);
    const poll = async () => {
      if (this.#stopPolling.signal.aborted) return;
      if ((await sh(`kill -0 -${pgid}`)).code === 0) return void setTimeout(poll, ADOPTED_POLL_MS);
      this.#running.delete(job.id);
      await this.#reportLost(job, entry.requested);
      resolve();
      this.#launchQueued();
    };
    setTimeout(poll, ADOPTED_POLL_MS);
    this.#ctx.log.info("Adopted a job that kept running", { job: job.id, pid: pgid });
  }

  /** A job whose process ended unseen: its recorded exit code, or Failed when there is none. */
  async #reportLost(job: Job, requested?: "stop" | "kill"): Promise<void> {
    const text = await Deno.readTextFile(jobFiles(this.#ctx.instanceDir, job).exit).catch(() => "");
    const code = Number.parseInt(text, 10);
    const change: JobUpdate = Number.isInteger(code)
      ? {
        status: "Finished",
        exitCode: code,
        statusMessage: "Completed while the plugin was restarting",
      }
      : requested
      ? outcome(requested, { success: false, code: requested === "kill" ? 137 : 143, signal: null })
      : {
        status: "Failed",
        statusMessage: "The process ended while the plugin was down; exit code unknown",
      };
    await this.#ctx.jobs.update(job.id, change);
  }
}

/** The status a job ends in, from what was asked of it and how its process ended. */
function outcome(requested: "stop" | "kill" | undefined, status: Deno.CommandStatus): JobUpdate {
  if (requested === "kill" || status.signal === "SIGKILL") {
    return { status: "Killed", exitCode: 137, statusMessage: "Killed" };
  }
  if (requested === "stop") return { status: "Finished", exitCode: 143, statusMessage: "Stopped" };
  const message = status.signal
    ? `Ended by ${status.signal}`
    : status.code === 0
    ? "Completed"
    : `Exited with code ${status.code}`;
  return { status: "Finished", exitCode: status.code, statusMessage: message };
}

function title(operation: string): string {
  return operation[0]!.toUpperCase() + operation.slice(1);
}
