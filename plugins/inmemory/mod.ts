/**
 * `inmemory`: the reference Launchbox plugin. It simulates a scheduler: jobs go
 * Pending → Running → Finished on timers, produce a line of output per tick, and report
 * steady resource use. Every scheduler change is reported through `ctx.jobs.update`; the
 * host stores jobs and answers every read, so this plugin keeps only its timers.
 *
 * @module
 */
import {
  type ControlResult,
  definePlugin,
  ErrorCode,
  type Job,
  LauncherError,
  type OutputChunk,
  type OutputRequest,
  type PluginContext,
  type ResourceUtil,
} from "@launchbox/sdk";
import { clusterInfo } from "./cluster.ts";
import { Simulation } from "./simulation.ts";
import { readTimings, type Timings } from "./timings.ts";

export default definePlugin((ctx) => {
  const timings = readTimings(ctx.config);
  const simulations = new Map<string, Simulation>();

  const simulate = (job: Job, ranMs = 0) => {
    const simulation = new Simulation(job, { ...ctx, timings });
    simulations.set(job.id, simulation);
    simulation.start(job.status === "Running" ? "Running" : "Pending", ranMs);
    return simulation;
  };

  return {
    async submitJob(job) {
      ctx.log.info("Job accepted", { job: job.id, user: job.user });
      simulate(job);
      return {
        statusMessage: "Queued",
        queues: job.queues?.length ? [job.queues[0]!] : ["default"],
      };
    },

    async controlJob(job, operation): Promise<ControlResult> {
      const simulation = simulations.get(job.id) ?? simulate(job);
      switch (operation) {
        case "suspend":
          await simulation.suspend();
          break;
        case "resume":
          await simulation.resume();
          break;
        case "stop":
          await simulation.end({ status: "Finished", exitCode: 143, statusMessage: "Stopped" });
          break;
        case "kill":
          await simulation.end({ status: "Killed", exitCode: 137, statusMessage: "Killed" });
          break;
        case "cancel":
          await simulation.end({ status: "Canceled", statusMessage: "Canceled by request" });
          break;
      }
      const name = operation[0]!.toUpperCase() + operation.slice(1);
      return { statusMessage: `Job ${name} successful`, operationComplete: true };
    },

    jobOutput: (job, wanted, { signal }) => {
      const simulation = simulations.get(job.id);
      return simulation
        ? output(ctx, timings, simulation, wanted, signal)
        : replay(job, timings, wanted);
    },

    async *jobResourceUtil(job, { signal }): AsyncIterable<ResourceUtil> {
      while (!signal.aborted) {
        const ranMs = simulations.get(job.id)?.ranMs ?? 0;
        yield {
          cpuPercent: 15,
          cpuTime: (ranMs / 1000) * 0.15,
          residentMemory: 350,
          virtualMemory: 800,
        };
        await ctx.clock.sleep(timings.tickMs, signal).catch(() => {});
      }
    },

    async jobNetwork() {
      return { host: "localhost", ipAddresses: ["127.0.0.1"] };
    },

    async clusterInfo() {
      return clusterInfo(ctx.config);
    },

    async recover(jobs) {
      for (const job of jobs) {
        const since = Date.parse(job.lastUpdateTime ?? job.submissionTime ?? "");
        const ranMs = job.status === "Running" && since ? ctx.clock.now().getTime() - since : 0;
        if (job.status === "Suspended") {
          simulations.set(job.id, new Simulation(job, { ...ctx, timings }));
        } else simulate(job, ranMs);
      }
    },

    async close() {
      for (const simulation of simulations.values()) simulation.dispose();
      simulations.clear();
    },
  };
});

/** Lines appear one per tick while the job runs; the stream ends once the job has ended. */
async function* output(
  ctx: PluginContext,
  timings: Timings,
  simulation: Simulation,
  wanted: OutputRequest,
  signal: AbortSignal,
): AsyncIterable<OutputChunk> {
  let sent = 0;
  while (!signal.aborted) {
    const ended = simulation.ended;
    const available = Math.floor(simulation.ranMs / Math.max(1, timings.tickMs)) + 1;
    for (; sent < available; sent++) yield* linesFor(sent + 1, wanted);
    if (ended) return;
    await ctx.clock.sleep(Math.min(timings.tickMs, 250), signal).catch(() => {});
  }
}

/** The output of a job that ended before this instance started (after a host restart). */
async function* replay(
  job: Job,
  timings: Timings,
  wanted: OutputRequest,
): AsyncIterable<OutputChunk> {
  if (job.status !== "Finished") {
    throw new LauncherError(ErrorCode.JobOutputNotFound, `Job ${job.id} left no output`);
  }
  const lines = Math.floor(timings.runMs / Math.max(1, timings.tickMs)) + 1;
  for (let line = 1; line <= lines; line++) yield* linesFor(line, wanted);
}

function* linesFor(line: number, wanted: OutputRequest): Iterable<OutputChunk> {
  if (wanted !== "stderr") yield { output: `Line ${line} from stdout\n`, outputType: "stdout" };
  if (wanted !== "stdout" && line % 2 === 0) {
    yield { output: `Line ${line} from stderr\n`, outputType: "stderr" };
  }
}
