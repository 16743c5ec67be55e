import assert from "node:assert/strict";
import * as C from "./constants.ts";

Deno.test("runner constants: start within 15 s, stop grace 10 s as DESIGN §6 says", () => {
  assert.equal(C.RUNNER_START_TIMEOUT_MS, 15_000);
  assert.equal(C.RUNNER_STOP_GRACE_MS, 10_000);
});

Deno.test("runner memory floor stays above what Deno needs to start under RLIMIT_DATA", () => {
  assert.ok(C.RUNNER_MIN_MEMORY_MB >= 1280, "a runner with a Worker does not start below 1280 MiB");
  assert.ok(C.SETPRIV.startsWith("/") && C.PRLIMIT.startsWith("/"));
});

Deno.test("a hashed key segment (96-byte prefix, %%, 64 hex digits) fits the limit under NAME_MAX", () => {
  assert.ok(96 + 2 + 64 <= C.MAX_KEY_SEGMENT_BYTES);
  assert.ok(C.MAX_KEY_SEGMENT_BYTES <= 255 - 55, "room below NAME_MAX 255 for a suffix");
});
