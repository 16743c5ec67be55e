import assert from "node:assert/strict";
import { SHUTDOWN_GRACE_MS } from "../../host/constants.ts";
import * as C from "./constants.ts";

Deno.test("a client command waits 30 s for a background host to start, polling every 50 ms", () => {
  assert.equal(C.HOST_START_TIMEOUT_MS, 30_000);
  assert.equal(C.HOST_POLL_MS, 50);
});

Deno.test("client host stop outwaits the host's own shutdown drain", () => {
  assert.ok(C.HOST_STOP_TIMEOUT_MS > SHUTDOWN_GRACE_MS);
});

Deno.test("the background host keeps its own log and stderr tail small", () => {
  assert.equal(C.HOST_LOG_MAX_BYTES, 1024 * 1024);
  assert.equal(C.HOST_STDERR_TAIL_BYTES, 8 * 1024);
});

Deno.test("the cluster demo gives up after 90 s, and outwaits scripts/postgres-up's own limit", async () => {
  assert.equal(C.DEMO_CLUSTER_TIMEOUT_MS, 90_000);
  const script = await Deno.readTextFile(new URL("../../../scripts/postgres-up", import.meta.url));
  const seconds = Number(/DEADLINE=\$\(\(SECONDS \+ (\d+)\)\)/.exec(script)?.[1]);
  assert.ok(seconds > 0, "scripts/postgres-up states its deadline");
  assert.ok(C.DEMO_POSTGRES_UP_TIMEOUT_MS > seconds * 1000);
});

Deno.test("client host stop --stop-jobs waits 20 s for the stopped jobs to end", () => {
  assert.equal(C.STOP_JOBS_TIMEOUT_MS, 20_000);
});
