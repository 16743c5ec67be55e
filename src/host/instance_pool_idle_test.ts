import assert from "node:assert/strict";
import { createLogger } from "../log/mod.ts";
import { InstancePool } from "./instance_pool.ts";
import type { ManagedInstance } from "./instance_supervisor.ts";

function fakeInstance(onStop: () => void): ManagedInstance {
  let exit: (reason: string) => void = () => {};
  return {
    exited: new Promise<string>((resolve) => exit = resolve),
    ping: () => Promise.resolve(),
    submitJob: () => Promise.resolve(),
    controlJob: () => Promise.resolve({ statusMessage: "ok", operationComplete: true }),
    jobOutput: async function* () {},
    clusterInfo: () => Promise.resolve({}),
    [Symbol.asyncDispose]: () => {
      onStop();
      exit("stopped");
      return Promise.resolve();
    },
  };
}

function pool(live: Set<string>, counts: { starts: number; stops: number }) {
  return new InstancePool({
    pluginName: "fake",
    factory: () => {
      counts.starts++;
      return Promise.resolve(fakeInstance(() => counts.stops++));
    },
    keyFor: (user) => user,
    jobsFor: () => ({
      get: () => Promise.resolve(undefined),
      list: () => Promise.resolve([]),
      update: () => Promise.resolve(undefined),
    }),
    hasLiveJobs: (key) => live.has(key),
    log: createLogger({ sinks: [] }),
    idleMs: 30,
  });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test("InstancePool stops an idle instance without live jobs and starts it again on demand", async () => {
  const counts = { starts: 0, stops: 0 };
  await using instances = pool(new Set(), counts);
  await instances.get("alice", "alice");
  await pause(120);
  assert.equal(counts.stops, 1);
  await instances.get("alice", "alice");
  assert.equal(counts.starts, 2);
});

Deno.test("InstancePool keeps an instance that still owns running jobs", async () => {
  const counts = { starts: 0, stops: 0 };
  await using instances = pool(new Set(["alice"]), counts);
  await instances.get("alice", "alice");
  await pause(120);
  assert.equal(counts.stops, 0);
});
