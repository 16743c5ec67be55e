import assert from "node:assert/strict";
import { healthVerdict, httpStatusOf, type InstanceHealth } from "./health.ts";

const running: InstanceHealth = {
  instance: "shared",
  state: "running",
  breaker: "closed",
  failures: 0,
  lastFailure: "",
};

Deno.test("healthVerdict is ok with running instances, or none started yet", () => {
  assert.deepEqual(healthVerdict({ plugin: "local", instances: [] }), {
    status: "ok",
    reasons: [],
  });
  assert.deepEqual(healthVerdict({ plugin: "local", instances: [running] }).status, "ok");
  assert.equal(httpStatusOf("ok"), 200);
});

Deno.test("healthVerdict is degraded while an instance restarts or could not start", () => {
  const backoff = { ...running, state: "backoff", failures: 2, lastFailure: "exited: code 1" };
  const unloaded = {
    ...running,
    instance: "alice",
    state: "stopped",
    failures: 1,
    lastFailure: 'failed to start: Plugin "local" could not load: SyntaxError',
  } as const;
  const verdict = healthVerdict({
    plugin: "local",
    instances: [backoff as InstanceHealth, unloaded],
  });
  assert.equal(verdict.status, "degraded");
  assert.deepEqual(verdict.reasons, [
    'Plugin "local" instance "shared" is restarting after failure 2 (exited: code 1)',
    'Plugin "local" instance "alice" could not start: failed to start: ' +
    'Plugin "local" could not load: SyntaxError',
  ]);
  assert.equal(httpStatusOf(verdict.status), 200);
});

Deno.test("healthVerdict is degraded when some, not all, instances have an open breaker", () => {
  const broken: InstanceHealth = {
    instance: "bob",
    state: "broken",
    breaker: "open",
    failures: 5,
    lastFailure: "exited: signal SIGKILL",
  };
  const verdict = healthVerdict({ plugin: "local", instances: [running, broken] });
  assert.equal(verdict.status, "degraded");
  assert.deepEqual(verdict.reasons, [
    'Plugin "local" instance "bob" has its circuit breaker open after 5 consecutive failures ' +
    "(last: exited: signal SIGKILL)",
  ]);
});

Deno.test("healthVerdict is failing when every instance is broken or the store cannot commit", () => {
  const broken: InstanceHealth = { ...running, state: "broken", breaker: "open", failures: 5 };
  const allBroken = healthVerdict({ plugin: "local", instances: [broken] });
  assert.equal(allBroken.status, "failing");
  assert.equal(httpStatusOf(allBroken.status), 503);
  const store = healthVerdict({
    plugin: "local",
    instances: [running],
    storeFailure: "database or disk is full",
  });
  assert.equal(store.status, "failing");
  assert.deepEqual(store.reasons, [
    "The job store cannot commit writes: database or disk is full",
  ]);
});

Deno.test("healthVerdict is failing with the shared job store's failures, each as said", () => {
  const running: InstanceHealth = {
    instance: "shared",
    state: "running",
    breaker: "closed",
    failures: 0,
    lastFailure: "",
  };
  const failures = ["Cannot list jobs in job store postgres://db/lb: connection refused"];
  const verdict = healthVerdict({ plugin: "local", instances: [running], storeFailures: failures });
  assert.equal(verdict.status, "failing");
  assert.equal(httpStatusOf(verdict.status), 503);
  assert.deepEqual(verdict.reasons, failures);
  const ok = healthVerdict({ plugin: "local", instances: [running], storeFailures: [] });
  assert.equal(ok.status, "ok");
});
