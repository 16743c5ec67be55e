import assert from "node:assert/strict";
import { createLogger } from "../log/mod.ts";
import { ErrorCode, LauncherError } from "../sdk/mod.ts";
import { BREAKER_FAILURE_THRESHOLD } from "./constants.ts";
import { InstanceSupervisor, type ManagedInstance } from "./instance_supervisor.ts";

const log = createLogger({ sinks: [] });

/** A fake instance whose health and life the test controls. */
function fakeInstance(state: { healthy: boolean }) {
  let exit: (reason: string) => void = () => {};
  const exited = new Promise<string>((resolve) => exit = resolve);
  const instance: ManagedInstance = {
    exited,
    ping: () => state.healthy ? Promise.resolve() : new Promise(() => {}),
    submitJob: () => Promise.resolve({ status: "Running" as const }),
    controlJob: () => Promise.resolve({ statusMessage: "ok", operationComplete: true }),
    jobOutput: async function* () {
      yield { output: "x", outputType: "stdout" as const };
    },
    clusterInfo: () => Promise.resolve({}),
    [Symbol.asyncDispose]: () => {
      exit("stopped");
      return Promise.resolve();
    },
  };
  return { instance, crash: (reason: string) => exit(reason) };
}

function supervisor(
  start: () => Promise<ManagedInstance>,
  counts = { starts: 0, restarts: 0, failures: 0 },
) {
  return new InstanceSupervisor({
    pluginName: "fake",
    instanceKey: "shared",
    start,
    log,
    healthIntervalMs: 20,
    healthTimeoutMs: 10,
    restartDelay: () => 5,
    events: {
      started: (restart) => restart ? counts.restarts++ : counts.starts++,
      failed: () => void counts.failures++,
    },
  });
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(check(), "condition not reached");
};

Deno.test("InstanceSupervisor starts once for concurrent callers and tracks busy calls", async () => {
  let starts = 0;
  const health = { healthy: true };
  await using sup = supervisor(() => (starts++, Promise.resolve(fakeInstance(health).instance)));
  const [a, b] = await Promise.all([sup.acquire(), sup.acquire()]);
  assert.equal(starts, 1);
  const pending = a.submitJob({ id: "1" }, { signal: new AbortController().signal });
  assert.equal(sup.active, 1);
  await pending;
  for await (
    const _ of b.jobOutput({ id: "1" }, "both", { signal: new AbortController().signal })
  ) {
    assert.equal(sup.active, 1);
  }
  assert.equal(sup.active, 0);
  assert.equal(sup.state, "running");
});

Deno.test("InstanceSupervisor restarts a crashed instance after backoff", async () => {
  const counts = { starts: 0, restarts: 0, failures: 0 };
  const fakes: ReturnType<typeof fakeInstance>[] = [];
  await using sup = supervisor(() => {
    fakes.push(fakeInstance({ healthy: true }));
    return Promise.resolve(fakes.at(-1)!.instance);
  }, counts);
  await sup.acquire();
  fakes[0]!.crash("SIGSEGV");
  await until(() => counts.restarts === 1);
  assert.equal(counts.failures, 1);
  assert.equal(sup.state, "running");
  assert.equal(fakes.length, 2);
});

Deno.test("InstanceSupervisor replaces an instance that misses health checks", async () => {
  const counts = { starts: 0, restarts: 0, failures: 0 };
  const health = [{ healthy: false }, { healthy: true }];
  let n = 0;
  await using sup = supervisor(
    () => Promise.resolve(fakeInstance(health[n++] ?? { healthy: true }).instance),
    counts,
  );
  await sup.acquire();
  await until(() => counts.restarts === 1);
  assert.equal(counts.failures, 1);
});

Deno.test("InstanceSupervisor opens the breaker after 5 failures and names the last one", async () => {
  let attempts = 0;
  await using sup = supervisor(() => {
    attempts++;
    return Promise.reject(new Error(`load error ${attempts}`));
  });
  for (let i = 0; i < BREAKER_FAILURE_THRESHOLD; i++) await assert.rejects(sup.acquire());
  assert.equal(sup.breaker.state, "open");
  await assert.rejects(sup.acquire(), (error: unknown) => {
    assert.ok(error instanceof LauncherError);
    assert.equal(error.code, ErrorCode.Unknown);
    assert.match(
      error.message,
      /Plugin "fake" instance "shared" is unavailable: breaker open after: failed to start: load error 5/,
    );
    return true;
  });
  assert.equal(attempts, BREAKER_FAILURE_THRESHOLD, "an open breaker does not start the plugin");
});

Deno.test("InstanceSupervisor closes the breaker once a healthy instance answers a ping", async () => {
  let now = 0;
  let failing = true;
  const sup = new InstanceSupervisor({
    pluginName: "fake",
    instanceKey: "shared",
    start: () =>
      failing
        ? Promise.reject(new Error("boom"))
        : Promise.resolve(fakeInstance({ healthy: true }).instance),
    log,
    healthIntervalMs: 10,
    healthTimeoutMs: 5,
    restartDelay: () => 1,
    now: () => now,
  });
  for (let i = 0; i < BREAKER_FAILURE_THRESHOLD; i++) await assert.rejects(sup.acquire());
  failing = false;
  now += 60_000;
  await sup.acquire();
  await until(() => sup.breaker.state === "closed");
  await sup[Symbol.asyncDispose]();
});

Deno.test("InstanceSupervisor reports a crash after scheduling the restart, and not a stop it was asked for", async () => {
  const crashes: string[] = [];
  const health = { healthy: true };
  const fakes: ReturnType<typeof fakeInstance>[] = [];
  await using sup = new InstanceSupervisor({
    pluginName: "fake",
    instanceKey: "shared",
    start: () => {
      const fake = fakeInstance(health);
      fakes.push(fake);
      return Promise.resolve(fake.instance);
    },
    log,
    healthIntervalMs: 1_000,
    healthTimeoutMs: 500,
    restartDelay: () => 5,
    onCrash: (reason) => crashes.push(`${reason} (${sup.state})`),
  });
  await sup.acquire();
  fakes[0]!.crash("crashed: RangeError: lost");
  await until(() => crashes.length === 1);
  assert.deepEqual(crashes, ["crashed: RangeError: lost (backoff)"]);
  await sup.acquire();
  assert.equal(fakes.length, 2, "restarted");
  await sup.stop();
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(crashes.length, 1, "a requested stop is no crash");
});
