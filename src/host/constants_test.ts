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
