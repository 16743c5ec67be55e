import assert from "node:assert/strict";
import * as C from "./constants.ts";

Deno.test("host constants keep plugin deadlines below the Launcher's 120 s request timeout", () => {
  assert.ok(C.DEFAULT_REQUEST_TIMEOUT_MS < 120_000);
  assert.ok(C.DEFAULT_REQUEST_TIMEOUT_MS >= 1_000);
});

Deno.test("host constants sweep expired jobs at least hourly and drain within 10 s", () => {
  assert.ok(C.EXPIRY_SWEEP_MS <= 3_600_000);
  assert.equal(C.SHUTDOWN_GRACE_MS, 10_000);
  assert.equal(C.IDEMPOTENCY_TAG_PREFIX, "idempotency:");
});

Deno.test("restart backoff starts at 1 s, doubles, caps at 30 s with 20 % jitter", () => {
  assert.equal(C.RESTART_BACKOFF_BASE_MS, 1_000);
  assert.equal(C.RESTART_BACKOFF_FACTOR, 2);
  assert.equal(C.RESTART_BACKOFF_CAP_MS, 30_000);
  assert.equal(C.RESTART_JITTER, 0.2);
});

Deno.test("the breaker opens at 5 failures and half-opens after 60 s", () => {
  assert.equal(C.BREAKER_FAILURE_THRESHOLD, 5);
  assert.equal(C.BREAKER_COOL_DOWN_MS, 60_000);
});

Deno.test("idle instances stop after 10 minutes; health pings default to 5 s with a 2 s deadline", () => {
  assert.equal(C.IDLE_INSTANCE_MS, 600_000);
  assert.equal(C.DEFAULT_HEALTH_INTERVAL_MS, 5_000);
  assert.ok(C.DEFAULT_HEALTH_TIMEOUT_MS < C.DEFAULT_HEALTH_INTERVAL_MS);
});

Deno.test("log files rotate at 64 MiB and keep three old files: at most 256 MiB of logs", () => {
  assert.equal(C.LOG_FILE_MAX_BYTES, 64 * 1024 * 1024);
  assert.equal(C.LOG_FILES_KEPT, 3);
  assert.ok(C.LOG_FILE_MAX_BYTES * (C.LOG_FILES_KEPT + 1) <= 256 * 1024 * 1024);
});

Deno.test("a node that lost its lease kills its failed-over jobs within 5 s, 8 at a time", () => {
  assert.equal(C.LOST_LEASE_STOP_MS, 5_000);
  assert.ok(C.LOST_LEASE_STOP_MS < C.SHUTDOWN_GRACE_MS);
  assert.equal(C.LOST_LEASE_STOP_PARALLEL, 8);
});
