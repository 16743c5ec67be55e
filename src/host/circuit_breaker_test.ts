import assert from "node:assert/strict";
import { CircuitBreaker } from "./circuit_breaker.ts";
import { BREAKER_COOL_DOWN_MS, BREAKER_FAILURE_THRESHOLD } from "./constants.ts";

function breakerWithClock() {
  const clock = { now: 0 };
  return { clock, breaker: new CircuitBreaker(() => clock.now) };
}

Deno.test("CircuitBreaker opens after 5 consecutive failures and keeps the last reason", () => {
  const { breaker } = breakerWithClock();
  for (let i = 1; i < BREAKER_FAILURE_THRESHOLD; i++) breaker.recordFailure(`crash ${i}`);
  assert.equal(breaker.state, "closed");
  assert.ok(breaker.allow());
  breaker.recordFailure("crash 5");
  assert.equal(breaker.state, "open");
  assert.equal(breaker.allow(), false);
  assert.equal(breaker.lastFailure, "crash 5");
});

Deno.test("CircuitBreaker lets one trial through after the cool-down and closes on success", () => {
  const { clock, breaker } = breakerWithClock();
  for (let i = 0; i < BREAKER_FAILURE_THRESHOLD; i++) breaker.recordFailure("boom");
  clock.now += BREAKER_COOL_DOWN_MS;
  assert.equal(breaker.state, "half-open");
  assert.ok(breaker.allow());
  assert.equal(breaker.allow(), false, "only one trial at a time");
  breaker.recordSuccess();
  assert.equal(breaker.state, "closed");
  assert.equal(breaker.consecutiveFailures, 0);
});

Deno.test("CircuitBreaker reopens for a full cool-down when the trial fails", () => {
  const { clock, breaker } = breakerWithClock();
  for (let i = 0; i < BREAKER_FAILURE_THRESHOLD; i++) breaker.recordFailure("boom");
  clock.now += BREAKER_COOL_DOWN_MS;
  assert.ok(breaker.allow());
  breaker.recordFailure("still broken");
  assert.equal(breaker.state, "open");
  clock.now += BREAKER_COOL_DOWN_MS - 1;
  assert.equal(breaker.state, "open");
});

Deno.test("CircuitBreaker forgets failures after a success", () => {
  const { breaker } = breakerWithClock();
  for (let i = 0; i < BREAKER_FAILURE_THRESHOLD - 1; i++) breaker.recordFailure("x");
  breaker.recordSuccess();
  breaker.recordFailure("y");
  assert.equal(breaker.state, "closed");
});
