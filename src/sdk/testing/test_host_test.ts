import assert from "node:assert/strict";
import type { PluginContext } from "../context.ts";
import type { Job } from "../job.ts";
import { ErrorCode, LauncherError } from "../launcher_error.ts";
import { definePlugin, type LauncherPlugin } from "../launcher_plugin.ts";
import { FAKE_TIMINGS, fakeScheduler } from "./_fake_scheduler.ts";
import { ManualClock } from "./manual_clock.ts";
import { createTestHost } from "./create_test_host.ts";

type Methods = Partial<LauncherPlugin>;

/** A plugin made of a plain object; the methods it does not list reject when called. */
function plainPlugin(methods: Methods | ((ctx: PluginContext) => Methods)) {
  const unexpected = (name: string) => () => Promise.reject(new Error(`${name} was called`));
  return definePlugin((ctx) => ({
    submitJob: unexpected("submitJob"),
    controlJob: unexpected("controlJob"),
    jobOutput: () => ({ [Symbol.asyncIterator]: () => ({ next: unexpected("jobOutput") }) }),
    clusterInfo: unexpected("clusterInfo"),
    ...(typeof methods === "function" ? methods(ctx) : methods),
  }));
}

const isLauncherError = (code: number) => (error: unknown) =>
  error instanceof LauncherError && error.code === code;

Deno.test("TestHost.submit stores jobs like the host and applies the submit update", async () => {
  const seen: Job[] = [];
  await using host = await createTestHost(
    plainPlugin({
      async submitJob(job) {
        seen.push(job);
        return { statusMessage: "Queued", queues: ["batch"], pid: 7 };
      },
    }),
    { user: "bob" },
  );
  const first = await host.submit({ command: "echo 1", name: "one" });
  const second = await host.submit({ command: "echo 2" }, "carol");
  assert.deepEqual([first.id, second.id], ["1", "2"]);
  assert.deepEqual([first.user, second.user], ["bob", "carol"]);
  assert.equal(seen[0]?.status, "Pending");
  assert.match(seen[0]?.submissionTime ?? "", /^\d{4}-\d\d-\d\dT.*Z$/);
  assert.equal(seen[0]?.lastUpdateTime, seen[0]?.submissionTime);
  assert.deepEqual([first.statusMessage, first.queues, first.pid], ["Queued", ["batch"], 7]);
  assert.deepEqual(host.submitUpdate("1"), { statusMessage: "Queued", queues: ["batch"], pid: 7 });
});

Deno.test("TestHost.submit removes the job and rethrows when submitJob throws", async () => {
  await using host = await createTestHost(plainPlugin({
    async submitJob() {
      throw new LauncherError(ErrorCode.InvalidRequest, 'Queue "gpu" is full');
    },
  }));
  await assert.rejects(host.submit({ command: "true" }), /Queue "gpu" is full/);
  assert.equal(host.job("1"), undefined);
  assert.deepEqual(host.jobs(), []);
});

Deno.test("TestHost.submit refuses a job the host would refuse, without calling the plugin", async () => {
  await using host = await createTestHost(plainPlugin({}));
  await assert.rejects(host.submit({}), isLauncherError(ErrorCode.InvalidRequest));
  await assert.rejects(
    host.submit({ command: "true", exe: "/bin/true" }),
    /either command or exe, not both/,
  );
  await assert.rejects(host.submit({ command: "true" }, "*"), /User must not be empty/);
});

Deno.test("TestHost refuses a terminal status regressing and records it as a violation", async () => {
  let told: Job | undefined;
  await using host = await createTestHost(plainPlugin((ctx) => ({
    async submitJob(job) {
      await ctx.jobs.update(job.id, { status: "Finished", exitCode: 0 });
      told = await ctx.jobs.update(job.id, { status: "Running", exitCode: 1 });
    },
  })));
  const job = await host.submit({ command: "true" });
  assert.equal(host.job(job.id)?.exitCode, 0);
  assert.equal(told?.status, "Finished", "the plugin is handed the unchanged job");
  assert.deepEqual(host.history(job.id), ["Pending", "Finished"]);
  assert.deepEqual(host.violations, [{
    jobId: "1",
    from: "Finished",
    change: { status: "Running", exitCode: 1 },
    reason: 'Cannot move job "1" from Finished to Running',
  }]);
});

Deno.test("ctx.jobs.update rejects a value of the wrong type with a TypeError naming the field", async () => {
  await using host = await createTestHost(fakeScheduler());
  const job = await host.submit({ command: "true" });
  await assert.rejects(
    host.ctx.jobs.update(job.id, { pid: "42" } as never),
    (error) =>
      error instanceof TypeError && /"pid" must be an integer, got "42"/.test(error.message),
  );
  assert.equal(host.violations.length, 1);
  assert.equal(await host.ctx.jobs.update("99", { status: "Running" }), undefined);
});

Deno.test("TestHost.control refuses an operation the status does not allow, like the host", async () => {
  await using host = await createTestHost(plainPlugin({
    async submitJob() {},
  }));
  const job = await host.submit({ command: "true" });
  await assert.rejects(
    host.control(job.id, "stop"),
    (error) =>
      isLauncherError(ErrorCode.InvalidJobState)(error) &&
      (error as Error).message === "Job must be running to stop it; job 1 is Pending",
  );
  await assert.rejects(host.control("9", "cancel"), isLauncherError(ErrorCode.JobNotFound));
});

Deno.test("TestHost.waitForStatus rejects after its timeout, listing the statuses so far", async () => {
  await using host = await createTestHost(plainPlugin({ async submitJob() {} }));
  const job = await host.submit({ command: "true" });
  await assert.rejects(
    host.waitForStatus(job.id, "Running", 30),
    /Job "1" did not reach Running within 30 ms; statuses: Pending$/,
  );
});

Deno.test("TestHost.waitForStatus rejects at once when the job ends in another status", async () => {
  await using host = await createTestHost(fakeScheduler());
  const job = await host.submit({ command: "true" });
  await assert.rejects(
    host.waitForStatus(job.id, "Suspended", 5_000),
    /Job "1" ended as Finished while waiting for Suspended; statuses: Pending → Running → Finished/,
  );
});

Deno.test("TestHost plays a plugin's timers instantly on a ManualClock", async () => {
  const clock = new ManualClock();
  await using host = await createTestHost(fakeScheduler(), { clock });
  const job = await host.submit({ command: "true" });
  await clock.advance(FAKE_TIMINGS.pendingMs - 1);
  assert.equal(host.job(job.id)?.status, "Pending");
  await clock.advance(1);
  assert.equal(host.job(job.id)?.status, "Running");
  await clock.advance(FAKE_TIMINGS.runMs);
  assert.deepEqual(host.history(job.id), ["Pending", "Running", "Finished"]);
  const start = new Date("2024-01-01T00:00:00Z").getTime();
  const finishedAt = start + FAKE_TIMINGS.pendingMs + FAKE_TIMINGS.runMs;
  assert.equal(host.job(job.id)?.lastUpdateTime, new Date(finishedAt).toISOString());
});

Deno.test("TestHost.output waits while the job is Pending, then collects the stream", async () => {
  const clock = new ManualClock();
  await using host = await createTestHost(fakeScheduler(), { clock });
  const job = await host.submit({ command: "echo hello" });
  let chunks: unknown;
  const collecting = host.output(job.id, "stdout").then((c) => chunks = c);
  await clock.advance(FAKE_TIMINGS.pendingMs - 1);
  assert.equal(chunks, undefined, "no output while Pending");
  await clock.advance(FAKE_TIMINGS.runMs + FAKE_TIMINGS.pendingMs);
  await collecting;
  assert.deepEqual(chunks, [{ output: "hello\n", outputType: "stdout" }]);
});

Deno.test("TestHost.output returns what arrived when its signal aborts", async () => {
  await using host = await createTestHost(fakeScheduler());
  const job = await host.submit({ command: "sleep 3600", tags: ["long-running"] });
  await host.waitForStatus(job.id, "Running");
  const chunks = await host.output(job.id, "both", { signal: AbortSignal.timeout(50) });
  assert.deepEqual(chunks, [{ output: "hello\n", outputType: "stdout" }]);
});

Deno.test("TestHost.resourceUtil refuses a job that is not running and ends when it ends", async () => {
  await using host = await createTestHost(fakeScheduler(() => ({
    async *jobResourceUtil(_job, { signal }) {
      while (!signal.aborted) {
        yield { cpuPercent: 5 };
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
  })));
  const job = await host.submit({ command: "sleep 3600", tags: ["long-running"] });
  assert.throws(() => host.resourceUtil(job.id), isLauncherError(ErrorCode.JobNotRunning));
  await host.waitForStatus(job.id, "Running");
  const samples = [];
  for await (const sample of host.resourceUtil(job.id)) {
    samples.push(sample);
    if (samples.length === 2) await host.control(job.id, "kill");
  }
  assert.ok(samples.length >= 2 && samples.length <= 3, `got ${samples.length} samples`);
});

Deno.test("TestHost.restart closes the plugin and recovers the live jobs in a new instance", async () => {
  const events: string[] = [];
  const definition = plainPlugin({
    async submitJob(job) {
      return { status: job.name === "ends" ? "Finished" : "Running" };
    },
    async recover(jobs) {
      events.push(`recover ${jobs.map((j) => `${j.id}:${j.status}`).join(",")}`);
    },
    async close() {
      events.push("close");
    },
  });
  const host = await createTestHost(definition);
  await host.submit({ command: "true", name: "runs" });
  await host.submit({ command: "true", name: "ends" });
  const before = host.plugin;
  await host.restart();
  assert.notEqual(host.plugin, before);
  await host[Symbol.asyncDispose]();
  assert.deepEqual(events, ["close", "recover 1:Running", "close"]);
});

Deno.test("TestHost disposal closes the plugin and removes the instance directory", async () => {
  let closed = 0;
  const host = await createTestHost(
    plainPlugin({
      async close() {
        closed++;
      },
    }),
    { config: { "pending-ms": "5" }, pluginName: "demo", instanceKey: "eng/alice" },
  );
  assert.deepEqual(host.ctx.config, { "pending-ms": "5" });
  assert.equal(`${host.ctx.pluginName} ${host.ctx.instanceKey}`, "demo eng/alice");
  await Deno.writeTextFile(`${host.ctx.instanceDir}/state.json`, "{}");
  await host[Symbol.asyncDispose]();
  await host[Symbol.asyncDispose]();
  assert.equal(closed, 1);
  await assert.rejects(Deno.stat(host.ctx.instanceDir), Deno.errors.NotFound);
});

Deno.test("TestHost captures the plugin's log lines with their fields", async () => {
  await using host = await createTestHost(plainPlugin((ctx) => ({
    async submitJob(job) {
      ctx.log.with({ job: job.id }).info("Job accepted", { user: job.user });
    },
  })));
  await host.submit({ command: "true" });
  assert.deepEqual(host.logs, [{
    level: "info",
    message: "Job accepted",
    fields: { job: "1", user: "alice" },
  }]);
});

Deno.test("ctx.jobs.list filters the stored jobs by tag and status", async () => {
  await using host = await createTestHost(plainPlugin({
    async submitJob(job) {
      return job.tags?.includes("fast") ? { status: "Running" } : undefined;
    },
  }));
  await host.submit({ command: "a", tags: ["fast", "gpu"] });
  await host.submit({ command: "b", tags: ["gpu"] });
  const ids = (jobs: Job[]) => jobs.map((job) => job.id);
  assert.deepEqual(ids(await host.ctx.jobs.list({ tags: ["gpu"] })), ["1", "2"]);
  assert.deepEqual(ids(await host.ctx.jobs.list({ tags: ["gpu", "fast"] })), ["1"]);
  assert.deepEqual(ids(await host.ctx.jobs.list({ statuses: ["Pending"] })), ["2"]);
  assert.deepEqual(ids(host.jobs({ endTime: new Date(0) })), []);
});
