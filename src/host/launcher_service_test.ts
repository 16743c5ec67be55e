import assert from "node:assert/strict";
import { createLogger } from "../log/mod.ts";
import type { LauncherPlugin } from "../sdk/mod.ts";
import { InstancePool } from "./instance_pool.ts";
import type { ManagedInstance } from "./instance_supervisor.ts";
import { JobStore } from "./job_store/mod.ts";
import { asyncJobStore } from "./job_store/store_interface.ts";
import { jobsHandleFor } from "./jobs_handle.ts";
import { LauncherService } from "./launcher_service.ts";
import { systemClock } from "./system_clock.ts";

const log = createLogger({ sinks: [] });

function serviceWith(plugin: (jobs: ReturnType<typeof jobsHandleFor>) => LauncherPlugin) {
  const store = JobStore.open(":memory:", { expiryHours: 24 });
  const shared = asyncJobStore(store);
  const pool = new InstancePool({
    pluginName: "fake",
    factory: (spec) =>
      Promise.resolve({
        ...plugin(spec.jobs as ReturnType<typeof jobsHandleFor>),
        ping: () => Promise.resolve(),
        exited: new Promise<string>(() => {}),
        [Symbol.asyncDispose]: () => Promise.resolve(),
      } as ManagedInstance),
    keyFor: () => "shared",
    jobsFor: (key) => jobsHandleFor(shared, key, { log }),
    hasLiveJobs: () => true,
    log,
  });
  const service = new LauncherService({
    pluginName: "fake",
    pool,
    log,
    store: shared,
    clock: systemClock,
    requestTimeoutMs: 1000,
  });
  return { store, pool, service };
}

const basics = {
  controlJob: () => Promise.resolve({ statusMessage: "ok", operationComplete: true }),
  jobOutput: async function* () {},
  clusterInfo: () => Promise.resolve({}),
};

Deno.test("LauncherService keeps submit fields when the job already ended through ctx.jobs", async () => {
  const { store, pool, service } = serviceWith((jobs) => ({
    ...basics,
    async submitJob(job) {
      await jobs.update(job.id, { status: "Running" });
      await jobs.update(job.id, { status: "Finished", exitCode: 0 });
      return { status: "Running", pid: 42, stdoutFile: "/out/1.stdout" };
    },
  }));
  const job = await service.submitJob("alice", { command: "true" }, new AbortController().signal);
  assert.equal(job.status, "Finished");
  assert.equal(job.stdoutFile, "/out/1.stdout");
  assert.equal(job.pid, 42);
  await pool[Symbol.asyncDispose]();
  store.close();
});

Deno.test("LauncherService removes the job when the plugin's submit fails", async () => {
  const { store, pool, service } = serviceWith(() => ({
    ...basics,
    submitJob: () => Promise.reject(new Error("scheduler down")),
  }));
  await assert.rejects(
    service.submitJob("alice", { command: "true" }, new AbortController().signal),
    /scheduler down/,
  );
  assert.deepEqual(store.list("*"), []);
  await pool[Symbol.asyncDispose]();
  store.close();
});

Deno.test("LauncherService refuses a user submitting a job for someone else", async () => {
  const { store, pool, service } = serviceWith(() => ({
    ...basics,
    submitJob: () => Promise.resolve(),
  }));
  await assert.rejects(
    service.submitJob("alice", { command: "true", user: "bob" }, new AbortController().signal),
    /Job user "bob" does not match the requesting user "alice"/,
  );
  await pool[Symbol.asyncDispose]();
  store.close();
});

Deno.test("LauncherService answers bootstrap before instances recover; their requests wait for it", async () => {
  const calls: string[] = [];
  let finishRecovery = () => {};
  const { store, pool, service } = serviceWith(() => ({
    ...basics,
    recover(jobs) {
      calls.push(`recover ${jobs.map((job) => job.id).join(",")}`);
      return new Promise<void>((resolve) => finishRecovery = resolve);
    },
    submitJob(job) {
      calls.push(`submit ${job.id}`);
      return Promise.resolve();
    },
  }));
  const meta = { instanceKey: "shared", plugin: "fake" };
  store.insert({ user: "alice", status: "Running", command: "a" }, meta);
  store.insert({ user: "alice", status: "Finished", command: "b" }, meta);
  store.insert({ user: "bob", status: "Pending", command: "c" }, meta);
  await service.bootstrap(new AbortController().signal);
  const submitted = service.submitJob("alice", { command: "d" }, new AbortController().signal);
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.deepEqual(calls, [], "the submit waits for the recovery to start");
  void service.recoverInstances();
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.deepEqual(calls, ["recover 1,3"], "the submit waits while its instance recovers");
  finishRecovery();
  await service.recoverInstances();
  assert.equal((await submitted).id, "4");
  assert.deepEqual(calls, ["recover 1,3", "submit 4"]);
  await pool[Symbol.asyncDispose]();
  store.close();
});

Deno.test("LauncherService serves an instance whose recovery failed, and says so in the log", async () => {
  const lines: string[] = [];
  const { store, pool, service } = serviceWith(() => ({
    ...basics,
    recover: () => Promise.reject(new Error("scheduler unreachable")),
    submitJob: () => Promise.resolve({ status: "Running" }),
  }));
  store.insert({ user: "alice", status: "Running", command: "a" }, {
    instanceKey: "shared",
    plugin: "fake",
  });
  const logged = new LauncherService({
    pluginName: "fake",
    store: asyncJobStore(store),
    pool,
    log: createLogger({ sinks: [{ writeLine: (line) => void lines.push(line) }] }),
    clock: systemClock,
    requestTimeoutMs: 1000,
  });
  await logged.bootstrap(new AbortController().signal);
  await logged.recoverInstances();
  assert.ok(lines.some((line) => line.includes("could not recover its jobs")), lines.join("\n"));
  const job = await service.submitJob("alice", { command: "b" }, new AbortController().signal);
  assert.equal(job.status, "Running");
  await pool[Symbol.asyncDispose]();
  store.close();
});

Deno.test("LauncherService fails live jobs at start-up when the plugin cannot take them back", async () => {
  const { store, pool, service } = serviceWith(() => ({
    ...basics,
    submitJob: () => Promise.resolve(),
  }));
  const meta = { instanceKey: "shared", plugin: "fake" };
  const running = store.insert({ user: "alice", status: "Running", command: "a" }, meta);
  const done = store.insert({ user: "alice", status: "Finished", command: "b" }, meta);
  await service.bootstrap(new AbortController().signal);
  await service.recoverInstances();
  const failed = store.get(running.id)!.job;
  assert.equal(failed.status, "Failed");
  assert.equal(
    failed.statusMessage,
    'Plugin "fake" could not take the job back after a host restart; the plugin does not ' +
      "implement recover() to take it back",
  );
  assert.equal(store.get(done.id)!.job.status, "Finished", "a finished job stays as it was");
  await pool[Symbol.asyncDispose]();
  store.close();
});

Deno.test("LauncherService fails a crashed instance's jobs naming the crash once it is back without recover", async () => {
  const store = asyncJobStore(JobStore.open(":memory:", { expiryHours: 24 }));
  const crashes: ((reason: string) => void)[] = [];
  const pool = new InstancePool({
    pluginName: "fake",
    factory: () =>
      Promise.resolve({
        ...basics,
        submitJob: () => Promise.resolve({ status: "Pending" as const }),
        ping: () => Promise.resolve(),
        exited: new Promise<string>((resolve) => crashes.push(resolve)),
        [Symbol.asyncDispose]: () => Promise.resolve(),
      } as ManagedInstance),
    keyFor: () => "shared",
    jobsFor: (key) => jobsHandleFor(store, key, { log }),
    hasLiveJobs: () => true,
    log,
    timeScale: 0.001,
  });
  const service = new LauncherService({
    pluginName: "fake",
    store,
    pool,
    log,
    clock: systemClock,
    requestTimeoutMs: 1000,
  });
  const job = await service.submitJob("alice", { command: "x" }, new AbortController().signal);
  crashes[0]!("crashed: RangeError: lost the queue (at /plugins/fake/mod.ts:9:3)");
  for (let i = 0; i < 200 && (await store.get(job.id))!.job.status === "Pending"; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await service.crashesReconciled();
  assert.equal((await store.get(job.id))!.job.status, "Failed");
  assert.equal(
    (await store.get(job.id))!.job.statusMessage,
    'Plugin "fake" crashed: RangeError: lost the queue (at /plugins/fake/mod.ts:9:3); the plugin ' +
      "does not implement recover() to take it back",
  );
  assert.equal(crashes.length, 2, "the instance was restarted");
  await pool[Symbol.asyncDispose]();
  store.close();
});

Deno.test("LauncherService.getJobNow answers from a SQLite store at once, as getJob would", async () => {
  const { store, pool, service } = serviceWith(() => ({
    ...basics,
    submitJob: () => Promise.resolve({ status: "Running" }),
  }));
  const job = await service.submitJob("alice", { command: "true" }, new AbortController().signal);
  const now = service.getJobNow("alice", job.id, ["status"]);
  assert.deepEqual(now, await service.getJob("alice", job.id, ["status"]));
  assert.deepEqual(now, { id: job.id, status: "Running" });
  assert.equal(service.getJobNow("*", job.id)?.user, "alice");
  assert.throws(() => service.getJobNow("bob", job.id), /could not be found for user bob/);
  assert.throws(() => service.getJobNow("alice", "999"), /Job 999 could not be found/);
  await pool[Symbol.asyncDispose]();
  store.close();
});
