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

Deno.test("plugin tree bounds leave room for vendored dependencies and still end the walk", () => {
  assert.ok(C.PLUGIN_TREE_MAX_DEPTH >= 16 && C.PLUGIN_TREE_MAX_DEPTH <= 64);
  assert.ok(C.PLUGIN_TREE_MAX_ENTRIES >= 5_000 && C.PLUGIN_TREE_MAX_ENTRIES <= 100_000);
});

Deno.test("plugin log budget: a burst of 1000 lines, then 200 a second", () => {
  assert.equal(C.PLUGIN_LOG_BURST, 1_000);
  assert.equal(C.PLUGIN_LOG_LINES_PER_SECOND, 200);
});
