/**
 * A small, well-behaved scheduler for this folder's tests, built from a plain object: jobs
 * go Pending → Running → Finished on `ctx.clock` timers (jobs tagged `long-running` stay
 * Running), control operations end jobs like a local scheduler. `broken` replaces methods
 * to make it misbehave in one named way.
 */
import type { PluginContext } from "../context.ts";
import type { JobUpdate } from "../job.ts";
import { isTerminalStatus } from "../job_status.ts";
import {
  definePlugin,
  type LauncherPlugin,
  type LauncherPluginDefinition,
} from "../launcher_plugin.ts";
import type { JobOperation, OutputChunk } from "../streams.ts";

/** What each control operation does to a job. */
export const CONTROL_CHANGES: Readonly<Record<JobOperation, JobUpdate>> = {
  suspend: { status: "Suspended" },
  resume: { status: "Running" },
  stop: { status: "Finished", exitCode: 143 },
  kill: { status: "Killed", exitCode: 137 },
  cancel: { status: "Canceled" },
};

/** Timings of the fake scheduler, in clock milliseconds. */
export const FAKE_TIMINGS = { pendingMs: 20, runMs: 60, tickMs: 10 } as const;

/** The fake scheduler, with `broken(ctx)` replacing some of its methods. */
export function fakeScheduler(
  broken: (ctx: PluginContext) => Partial<LauncherPlugin> = () => ({}),
): LauncherPluginDefinition {
  return definePlugin((ctx) => {
    const timers = new AbortController();
    const later = (ms: number, then: () => Promise<unknown>) => {
      ctx.clock.sleep(ms, timers.signal).then(then, () => {});
    };
    const ended = async (id: string) => isTerminalStatus((await ctx.jobs.get(id))?.status!);
    const plugin: LauncherPlugin = {
      async submitJob(job) {
        later(FAKE_TIMINGS.pendingMs, async () => {
          await ctx.jobs.update(job.id, { status: "Running", host: "node-1" });
          if (job.tags?.includes("long-running")) return;
          later(
            FAKE_TIMINGS.runMs,
            () => ctx.jobs.update(job.id, { status: "Finished", exitCode: 0 }),
          );
        });
        return { statusMessage: "Queued" };
      },
      async controlJob(job, operation) {
        await ctx.jobs.update(job.id, CONTROL_CHANGES[operation]);
        return { statusMessage: `Job ${operation} successful`, operationComplete: true };
      },
      async *jobOutput(job, _wanted, { signal }): AsyncIterable<OutputChunk> {
        yield { output: "hello\n", outputType: "stdout" };
        while (!signal.aborted && !(await ended(job.id))) {
          await ctx.clock.sleep(FAKE_TIMINGS.tickMs, signal).catch(() => {});
        }
      },
      async clusterInfo() {
        return {
          queues: ["default"],
          defaultQueue: "default",
          resourceLimits: [{ type: "memory", maxValue: "1024" }],
        };
      },
      async close() {
        timers.abort();
      },
    };
    return { ...plugin, ...broken(ctx) };
  });
}
