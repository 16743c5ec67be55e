import assert from "node:assert/strict";
import * as C from "./constants.ts";

Deno.test("runner constants: start within 15 s, stop grace 10 s", () => {
  assert.equal(C.RUNNER_START_TIMEOUT_MS, 15_000);
  assert.equal(C.RUNNER_STOP_GRACE_MS, 10_000);
});

Deno.test("reachability cache: 1 000 verdicts, enough for every user of a busy host", () => {
  assert.equal(C.REACHABILITY_CACHE_MAX_ENTRIES, 1_000);
});

Deno.test("runner memory floor stays above what Deno needs to start under RLIMIT_DATA", () => {
  assert.ok(C.RUNNER_MIN_MEMORY_MB >= 1280, "a runner with a Worker does not start below 1280 MiB");
  assert.ok(C.SETPRIV.startsWith("/") && C.PRLIMIT.startsWith("/"));
});

Deno.test("plugin tree bounds leave room for vendored dependencies and still end the walk", () => {
  assert.ok(C.PLUGIN_TREE_MAX_DEPTH >= 16 && C.PLUGIN_TREE_MAX_DEPTH <= 64);
  assert.ok(C.PLUGIN_TREE_MAX_ENTRIES >= 5_000 && C.PLUGIN_TREE_MAX_ENTRIES <= 100_000);
});

Deno.test("a hashed key segment (96-byte prefix, %%, 64 hex digits) fits the limit under NAME_MAX", () => {
  assert.ok(96 + 2 + 64 <= C.MAX_KEY_SEGMENT_BYTES);
  assert.ok(C.MAX_KEY_SEGMENT_BYTES <= 255 - 55, "room below NAME_MAX 255 for a suffix");
});

Deno.test("plugin log bounds: 16 KiB lines, 200 lines/s in bursts of 2 000", () => {
  assert.equal(C.PLUGIN_LOG_MAX_LINE_BYTES, 16 * 1024);
  assert.equal(C.PLUGIN_LOG_LINES_PER_SECOND, 200);
  assert.ok(C.PLUGIN_LOG_BURST_LINES >= C.PLUGIN_LOG_LINES_PER_SECOND);
  // The worst a burst can cost the host's log: 2 000 lines of 16 KiB, 32 MiB.
  assert.ok(C.PLUGIN_LOG_BURST_LINES * C.PLUGIN_LOG_MAX_LINE_BYTES <= 32 * 1024 * 1024);
});

Deno.test("runner channel bounds: 8 items ahead, 64 MiB of unread items, 64 ctx.jobs calls", () => {
  assert.equal(C.RUNNER_STREAM_WINDOW_ITEMS, 8);
  // A window of frame-sized (5 MiB) items stays under the hard bound.
  assert.ok(C.RUNNER_STREAM_WINDOW_ITEMS * 5 * 1024 * 1024 < C.RUNNER_STREAM_MAX_QUEUED_BYTES);
  assert.equal(C.RUNNER_STREAM_MAX_QUEUED_BYTES, 64 * 1024 * 1024);
  assert.equal(C.RUNNER_MAX_JOBS_REQUESTS, 64);
  assert.equal(C.RUNNER_MAX_WAITING_JOBS_REQUESTS, 4096);
});

Deno.test("a crash report fits a status message: at most 1 000 characters", () => {
  assert.equal(C.CRASH_REPORT_MAX_CHARS, 1_000);
});

Deno.test("a host starts two runners at once per CPU", () => {
  assert.equal(C.RUNNER_STARTS_PER_CPU, 2);
});
