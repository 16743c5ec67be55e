import type { Clock, JobsHandle, PluginContext } from "../context.ts";
import type { LauncherPluginDefinition } from "../launcher_plugin.ts";
import { CapturingLogger } from "./capturing_logger.ts";
import { MemoryJobs } from "./_memory_jobs.ts";
import { realClock } from "./_real_clock.ts";
import { TestHost } from "./test_host.ts";

/**
 * Options of {@linkcode createTestHost}.
 *
 * @example
 * ```ts
 * import { ManualClock, type TestHostOptions } from "./mod.ts";
 * const options: TestHostOptions = {
 *   config: { "pending-ms": "50" },
 *   clock: new ManualClock(),
 *   user: "bob",
 * };
 * ```
 */
export interface TestHostOptions {
  /** The plugin's `ctx.config`. Default: empty. */
  readonly config?: Readonly<Record<string, string>>;
  /** The plugin's clock. Default: the real clock; pass a `ManualClock` to drive time. */
  readonly clock?: Clock;
  /** Who submits jobs and asks for cluster info when a call names nobody. Default `alice`. */
  readonly user?: string;
  /** `ctx.pluginName`. Default `test`. */
  readonly pluginName?: string;
  /** `ctx.instanceKey`. Default `shared`. */
  readonly instanceKey?: string;
}

/**
 * Builds a plugin instance the way the host does and wraps it in a {@linkcode TestHost}:
 * an in-memory job store behind `ctx.jobs`, a capturing logger, the clock you choose, a
 * fresh temporary `instanceDir`, and your `config`. Dispose it (`await using`) to close
 * the plugin and remove the directory.
 *
 * @example
 * ```ts
 * import { definePlugin } from "../mod.ts";
 * import { createTestHost } from "./mod.ts";
 *
 * const plugin = definePlugin((ctx) => ({
 *   async submitJob(job) {
 *     queueMicrotask(() => ctx.jobs.update(job.id, { status: "Finished", exitCode: 0 }));
 *     return { status: "Running", pid: 4242 };
 *   },
 *   async controlJob(_job, op) {
 *     return { statusMessage: `Job ${op} successful`, operationComplete: true };
 *   },
 *   async *jobOutput() {
 *     yield { output: "hello\n", outputType: "stdout" as const };
 *   },
 *   async clusterInfo() {
 *     return { queues: ["default"] };
 *   },
 * }));
 *
 * await using host = await createTestHost(plugin, { config: { "tick-ms": "10" } });
 * const job = await host.submit({ command: "echo hello" });
 * await host.waitForStatus(job.id, "Finished", 1000);
 * host.history(job.id); // ["Pending", "Running", "Finished"]
 * (await host.output(job.id, "stdout")).length; // 1
 * host.violations.length; // 0
 * ```
 */
export async function createTestHost(
  definition: LauncherPluginDefinition,
  options: TestHostOptions = {},
): Promise<TestHost> {
  const clock = options.clock ?? realClock;
  const log = new CapturingLogger();
  const jobs = new MemoryJobs(clock);
  const instanceDir = await Deno.makeTempDir({ prefix: "launchbox-test-host-" });
  const ctx: PluginContext = {
    pluginName: options.pluginName ?? "test",
    instanceKey: options.instanceKey ?? "shared",
    instanceDir,
    config: { ...options.config },
    log,
    clock,
    jobs: handleOf(jobs),
  };
  try {
    const plugin = await definition.create(ctx);
    return new TestHost({ definition, plugin, ctx, log, jobs, user: options.user ?? "alice" });
  } catch (error) {
    await Deno.remove(instanceDir, { recursive: true });
    throw error;
  }
}

function handleOf(jobs: MemoryJobs): JobsHandle {
  return {
    get: async (id) => jobs.get(id),
    list: async (filter) => jobs.list(filter),
    update: async (id, change) => jobs.update(id, change),
  };
}
