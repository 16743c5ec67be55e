import assert from "node:assert/strict";
import { JsonLogger } from "../log/mod.ts";
import { type JobsHandle, LauncherError } from "../sdk/mod.ts";
import { InstancePool, type InstanceSpec, type PluginInstance } from "./instance_pool.ts";
import type { ManagedInstance } from "./instance_supervisor.ts";

const noJobs: JobsHandle = {
  get: () => Promise.resolve(undefined),
  list: () => Promise.resolve([]),
  update: () => Promise.resolve(undefined),
};

/** A fake instance labelled with its key and start number, counting its disposals. */
function fakeInstance(label: string, disposed: string[]): ManagedInstance {
  let exit: (reason: string) => void = () => {};
  const instance = {
    label,
    exited: new Promise<string>((resolve) => exit = resolve),
    ping: () => Promise.resolve(),
    submitJob: () => Promise.resolve(),
    controlJob: () => Promise.resolve({ statusMessage: "ok", operationComplete: true }),
    jobOutput: async function* () {},
    clusterInfo: () => Promise.resolve({}),
    [Symbol.asyncDispose]: () => {
      disposed.push(label);
      exit("stopped");
      return Promise.resolve();
    },
  };
  return instance;
}

const labelOf = (instance: PluginInstance) => (instance as unknown as { label: string }).label;

/** A pool whose factory records every spec and starts instances as `start` says. */
function pool(start: (spec: InstanceSpec, n: number) => Promise<ManagedInstance>) {
  const specs: InstanceSpec[] = [];
  const disposed: string[] = [];
  const instances = new InstancePool({
    pluginName: "fake",
    factory: (spec) => {
      specs.push(spec);
      return start(spec, specs.length);
    },
    keyFor: (user) => `key-${user}`,
    jobsFor: () => noJobs,
    hasLiveJobs: () => false,
    log: new JsonLogger({ sinks: [] }),
    timeScale: 0.001,
  });
  return { instances, specs, disposed };
}

Deno.test("InstancePool.keyFor asks the isolation rule", async () => {
  await using instances = pool(() => Promise.reject(new Error("unused"))).instances;
  assert.equal(instances.keyFor("alice"), "key-alice");
});

Deno.test("InstancePool starts one instance per key even for concurrent gets", async () => {
  const disposed: string[] = [];
  const gate = Promise.withResolvers<void>();
  const fake = pool(async (spec, n) => {
    await gate.promise;
    return fakeInstance(`${spec.instanceKey}#${n}`, disposed);
  });
  await using _ = fake.instances;
  const gets = [
    fake.instances.get("k1", "alice"),
    fake.instances.get("k1", "bob"),
    fake.instances.get("k2", "carol"),
    fake.instances.get("k1", "alice"),
  ];
  gate.resolve();
  const got = await Promise.all(gets);
  assert.deepEqual(got.map(labelOf), ["k1#1", "k1#1", "k2#2", "k1#1"]);
  assert.deepEqual(fake.specs.map((s) => [s.instanceKey, s.user]), [["k1", "alice"], [
    "k2",
    "carol",
  ]]);
  assert.equal(fake.specs[0]!.jobs, noJobs, "the instance gets its jobs handle");
  assert.equal(labelOf(await fake.instances.get("k1", "dave")), "k1#1", "a later get reuses it");
  assert.equal(fake.specs.length, 2);
});

Deno.test("InstancePool forgets a failed start so the next get tries again", async () => {
  const disposed: string[] = [];
  const fake = pool((spec, n) =>
    n === 1
      ? Promise.reject(new Error("runner would not start"))
      : Promise.resolve(fakeInstance(`${spec.instanceKey}#${n}`, disposed))
  );
  await using _ = fake.instances;
  await assert.rejects(fake.instances.get("k1", "alice"), (error: unknown) => {
    assert.ok(error instanceof LauncherError);
    assert.equal(
      error.message,
      'Plugin "fake" instance "k1" is unavailable: runner would not start',
    );
    return true;
  });
  assert.equal(labelOf(await fake.instances.get("k1", "alice")), "k1#2");
  assert.equal(fake.specs.length, 2);
});

Deno.test("InstancePool lists running instances and disposes them all", async () => {
  const disposed: string[] = [];
  const fake = pool((spec) => Promise.resolve(fakeInstance(spec.instanceKey, disposed)));
  await fake.instances.get("k1", "alice");
  await fake.instances.get("k2", "bob");
  assert.deepEqual((await fake.instances.running()).map(labelOf).sort(), ["k1", "k2"]);
  await fake.instances[Symbol.asyncDispose]();
  assert.deepEqual(disposed.sort(), ["k1", "k2"]);
  assert.deepEqual(await fake.instances.running(), []);
});
