import assert from "node:assert/strict";
import type { ClusterInfo, Job } from "../sdk/mod.ts";
import type { LauncherBackend } from "./backend.ts";
import { DeferredBackend } from "./deferred_backend.ts";

const notUsed = (): never => {
  throw new Error("Not used by this test");
};

/** A backend that records the order of its calls and lets the test emit status changes. */
function recordingBackend() {
  const calls: string[] = [];
  const listeners = new Set<(job: Job) => void>();
  const backend: LauncherBackend = {
    bootstrap: () => {
      calls.push("bootstrap");
      return Promise.resolve();
    },
    submitJob: notUsed,
    getJob: notUsed,
    getJobs: () => {
      calls.push("getJobs");
      return Promise.resolve([]);
    },
    subscribeStatus: (listener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    controlJob: notUsed,
    jobOutput: notUsed,
    jobResourceUtil: notUsed,
    jobNetwork: notUsed,
    clusterInfo: () => {
      calls.push("clusterInfo");
      return Promise.resolve({} as ClusterInfo);
    },
    setLoadBalancerNodes: notUsed,
    reloadConfig: notUsed,
  };
  const emit = (job: Job) => listeners.forEach((listener) => listener(job));
  return { backend, calls, emit, listeners };
}

const signal = new AbortController().signal;

Deno.test("DeferredBackend answers Bootstrap at once and hands it on before later requests", async () => {
  const real = recordingBackend();
  const starting = Promise.withResolvers<LauncherBackend>();
  let started = 0;
  const deferred = new DeferredBackend(() => {
    started++;
    return starting.promise;
  });
  await deferred.bootstrap(signal);
  assert.equal(started, 0, "Bootstrap starts nothing");
  const request = deferred.getJobs("alice", {});
  assert.equal(started, 1, "a request that needs the backend starts it");
  let answered = false;
  void request.then(() => answered = true);
  await Promise.resolve();
  assert.equal(answered, false);
  assert.deepEqual(real.calls, []);
  starting.resolve(real.backend);
  assert.deepEqual(await request, []);
  assert.equal(started, 1);
  // Once started, calls go straight through, Bootstrap included.
  await deferred.bootstrap(signal);
  await deferred.clusterInfo("alice", signal);
  assert.deepEqual(real.calls, ["bootstrap", "getJobs", "bootstrap", "clusterInfo"]);
});

Deno.test("DeferredBackend fails every call but Bootstrap with the error of a backend that did not start", async () => {
  const starting = Promise.withResolvers<LauncherBackend>();
  const deferred = new DeferredBackend(() => starting.promise);
  const request = deferred.clusterInfo("alice", signal);
  starting.reject(new Error("Cannot open the job store"));
  await deferred.bootstrap(signal);
  await assert.rejects(request, /Cannot open the job store/);
  await assert.rejects(deferred.getJobs("alice", {}), /Cannot open the job store/);
  const output = deferred.jobOutput("alice", "1", "stdout", signal);
  await assert.rejects(output[Symbol.asyncIterator]().next(), /Cannot open the job store/);
});

Deno.test("DeferredBackend attaches status listeners once the backend exists, and detaches them", async () => {
  const real = recordingBackend();
  const starting = Promise.withResolvers<LauncherBackend>();
  const deferred = new DeferredBackend(() => starting.promise);
  const heard: string[] = [];
  const early = deferred.subscribeStatus((job) => heard.push(`early ${job.id}`));
  const gone = deferred.subscribeStatus((job) => heard.push(`gone ${job.id}`));
  gone();
  await deferred.bootstrap(signal);
  void deferred.start();
  starting.resolve(real.backend);
  await deferred.getJobs("alice", {});
  const late = deferred.subscribeStatus((job) => heard.push(`late ${job.id}`));
  real.emit({ id: "1" } as Job);
  early();
  late();
  real.emit({ id: "2" } as Job);
  assert.deepEqual(heard, ["early 1", "late 1"]);
  assert.equal(real.listeners.size, 0);
});
