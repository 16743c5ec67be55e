import assert from "node:assert/strict";
import * as C from "./constants.ts";

Deno.test("PostgreSQL store: catch-up retries cover seconds and history outlives them", () => {
  assert.ok(C.CATCH_UP_MARGIN_MS >= 1_000);
  assert.ok(C.CATCH_UP_ATTEMPTS * C.CATCH_UP_RETRY_MS <= 10_000, "a retry never stalls for long");
  assert.ok(C.HISTORY_RETENTION_MS >= 60 * C.CATCH_UP_MARGIN_MS);
  assert.ok(C.OWN_NOTIFICATION_WAIT_MS <= 2_000, "a write never waits long for its echo");
  assert.ok(C.SEEN_LIMIT >= 10_000);
});

Deno.test("PostgreSQL store: a node renews often enough that three renewals may fail", () => {
  assert.equal(C.NODE_LEASE_MS, 15_000);
  const slowest = C.NODE_RENEW_FRACTION * (1 + C.NODE_RENEW_JITTER);
  assert.ok(3 * slowest < 1, "three of the slowest intervals fit in a lease");
  assert.ok(C.NODE_RENEW_JITTER > 0 && C.NODE_RENEW_JITTER < 1);
  assert.ok(C.NODE_RENEW_RETRY_FRACTION < 1);
  assert.ok(C.PG_MAX_CONNECTIONS >= 2 && C.PG_CONNECT_TIMEOUT_S <= C.NODE_LEASE_MS / 1000);
});

Deno.test("PostgreSQL store: an inline payload stays under NOTIFY's 8000-byte limit", () => {
  assert.ok(C.INLINE_PAYLOAD_BYTES < 8_000);
  assert.ok(C.INLINE_PAYLOAD_BYTES >= 4_000, "typical jobs (a few kB) still travel inline");
});

Deno.test("PostgreSQL store: a forwarded stream acknowledges well inside its window", () => {
  assert.ok(C.STREAM_ACK_EVERY * 2 <= C.STREAM_WINDOW, "the owner never waits on every ack");
  assert.ok(C.STREAM_WINDOW <= 256, "a stalled consumer holds back little");
  assert.ok(C.STREAM_QUEUE_MAX >= 16 && C.STREAM_QUEUE_MAX <= 1_024, "reads ahead a little");
  assert.ok(C.STREAM_RETRANSMIT_MS >= 200 && C.STREAM_RETRANSMIT_MS < C.NODE_LEASE_MS / 3);
});

Deno.test("PostgreSQL store: the LISTEN probe gives up within a lease", () => {
  assert.ok(C.LISTEN_PROBE_TIMEOUT_MS >= 500, "a loaded server still answers in time");
  assert.ok(
    C.LISTEN_PROBE_TIMEOUT_MS < C.NODE_LEASE_MS * C.NODE_RENEW_FRACTION,
    "one probe ends before the next renewal",
  );
});

Deno.test("PostgreSQL store: a shutdown step waits at most 3 s for the database", () => {
  assert.equal(C.SHUTDOWN_QUERY_MS, 3_000);
  assert.ok(C.SHUTDOWN_QUERY_MS < C.PG_CONNECT_TIMEOUT_S * 1000, "shorter than one connect");
});
