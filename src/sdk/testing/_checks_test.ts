import assert from "node:assert/strict";
import type { PluginContext } from "../context.ts";
import type { LauncherPlugin } from "../launcher_plugin.ts";
import type { OutputChunk, ResourceUtil } from "../streams.ts";
import {
  checkClusterInfo,
  checkNoViolations,
  checkOutput,
  checkReachesTerminal,
  checkSubmit,
  checkTerminalStays,
} from "./_checks.ts";
import { resolveProfile } from "./conformance_profile.ts";
import { fakeScheduler } from "./_fake_scheduler.ts";
import {
  checkCancel,
  checkKill,
  checkNetwork,
  checkResource,
  checkStop,
  checkStreamCancellation,
} from "./_workflow_checks.ts";
import { createTestHost } from "./create_test_host.ts";

const profile = resolveProfile({
  name: "fake",
  longRunningJob: { command: "sleep 3600", tags: ["long-running"] },
  jobStartTimeoutMs: 1_000,
  jobCompleteTimeoutMs: 1_000,
  outputTimeoutMs: 500,
});

function hostOf(broken: (ctx: PluginContext) => Partial<LauncherPlugin>) {
  return createTestHost(fakeScheduler(broken));
}

Deno.test("The checks pass against the well-behaved fake scheduler", async () => {
  await using host = await createTestHost(fakeScheduler());
  await checkSubmit(host, profile);
  const ended = await checkReachesTerminal(host, profile);
  await checkTerminalStays(host, ended.id);
  await checkClusterInfo(host, profile);
  await checkOutput(host, profile, { finished: ended });
  await checkStreamCancellation(host, profile);
  await checkStop(host, profile);
  await checkKill(host, profile);
  assert.equal(await checkCancel(host, profile), undefined);
  checkNoViolations(host);
});

Deno.test("checkTerminalStays reports a plugin that moves a Finished job back to Running", async () => {
  await using host = await hostOf((ctx) => ({
    async submitJob(job) {
      queueMicrotask(async () => {
        await ctx.jobs.update(job.id, { status: "Running" });
        await ctx.jobs.update(job.id, { status: "Finished", exitCode: 0 });
        await ctx.clock.sleep(20);
        await ctx.jobs.update(job.id, { status: "Running" });
      });
      return { statusMessage: "Queued" };
    },
  }));
  const ended = await checkReachesTerminal(host, profile);
  await assert.rejects(
    checkTerminalStays(host, ended.id),
    /Plugin changed job "1" after it ended as Finished: Cannot move job "1" from Finished to Running/,
  );
  assert.throws(() => checkNoViolations(host), /The host refused 1 job change/);
  assert.deepEqual(host.history(ended.id), ["Pending", "Running", "Finished"]);
});

Deno.test("checkSubmit reports a submit update that sets fields the host owns", async () => {
  await using host = await hostOf(() => ({
    async submitJob() {
      return { id: "job-7", status: "Running" } as never;
    },
  }));
  await assert.rejects(checkSubmit(host, profile), /fields the host ignores.*id="job-7"/);
});

Deno.test("checkSubmit accepts a submit update that echoes the stored job", async () => {
  await using host = await hostOf(() => ({
    async submitJob(job) {
      return { ...job, status: "Running" };
    },
  }));
  await checkSubmit(host, profile);
  assert.equal(host.job("1")?.status, "Running");
});

Deno.test("checkSubmit reports a status that is not one of the seven", async () => {
  await using host = await hostOf(() => ({
    async submitJob() {
      return { status: "Done" } as never;
    },
  }));
  await assert.rejects(checkSubmit(host, profile), /"status" must be a job status, got "Done"/);
  assert.equal(host.jobs().length, 0, "the host removes a job whose submit update is refused");
});

Deno.test("checkClusterInfo reports untyped limits and a default queue that is not offered", async () => {
  await using host = await hostOf(() => ({
    async clusterInfo() {
      return { queues: ["a"], defaultQueue: "b", resourceLimits: [{ maxValue: "4" } as never] };
    },
  }));
  await assert.rejects(
    checkClusterInfo(host, profile),
    /resourceLimits\[0\] has no type; defaultQueue "b" is not one of queues \["a"\]/,
  );
});

Deno.test("checkOutput reports a finished job whose stream delivers nothing", async () => {
  await using host = await hostOf(() => ({ async *jobOutput() {} }));
  await assert.rejects(
    checkOutput(host, profile),
    /Output stream of job "1" \(Finished\) delivered no output/,
  );
});

Deno.test("checkStreamCancellation reports a stream that keeps delivering after the abort", async () => {
  await using host = await hostOf(() => ({
    async *jobOutput(): AsyncIterable<OutputChunk> {
      for (let line = 1; line <= 4; line++) yield { output: `${line}\n`, outputType: "stdout" };
    },
  }));
  await assert.rejects(
    checkStreamCancellation(host, profile),
    /delivered 3 items after its signal aborted/,
  );
});

Deno.test("checkStreamCancellation reports a stream that ignores the abort", async () => {
  await using host = await hostOf(() => ({
    async *jobOutput(): AsyncIterable<OutputChunk> {
      yield { output: "hello\n", outputType: "stdout" };
      await new Promise(() => {});
    },
  }));
  await assert.rejects(
    checkStreamCancellation(host, profile),
    /still open 1000 ms after its signal aborted/,
  );
});

Deno.test("checkStop reports a stop that ends with the wrong exit code", async () => {
  await using host = await hostOf((ctx) => ({
    async controlJob(job, operation) {
      await ctx.jobs.update(job.id, { status: "Finished", exitCode: 0 });
      return { statusMessage: `Job ${operation} successful`, operationComplete: true };
    },
  }));
  await assert.rejects(
    checkStop(host, profile),
    /stop ended job "1" as Finished with exit code 0; expected Finished with exit code 143/,
  );
  assert.equal(host.job("1")?.status, "Finished");
});

Deno.test("checkCancel skips, naming the reason, when the job leaves Pending at once", async () => {
  await using host = await hostOf(() => ({
    async submitJob() {
      return { status: "Running" };
    },
  }));
  const outcome = await checkCancel(host, profile);
  assert.match(outcome?.skipped ?? "", /job "1" was Running before cancel was sent/);
  assert.equal(host.job("1")?.status, "Killed", "the suite kills what it left running");
});

Deno.test("checkResource reports a sample that is not a finite number", async () => {
  await using host = await hostOf(() => ({
    async *jobResourceUtil(): AsyncIterable<ResourceUtil> {
      yield { cpuPercent: Number.NaN, residentMemory: 10 };
    },
  }));
  await assert.rejects(checkResource(host, profile), /bad fields: cpuPercent=NaN/);
});

Deno.test("checkNetwork reports a network without a host", async () => {
  await using host = await hostOf(() => ({
    async jobNetwork() {
      return { host: "", ipAddresses: [] };
    },
  }));
  await assert.rejects(checkNetwork(host, profile), /jobNetwork of job "1" gave no host/);
});
