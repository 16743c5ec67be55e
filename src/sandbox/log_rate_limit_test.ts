import assert from "node:assert/strict";
import { LogRateLimit } from "./log_rate_limit.ts";

Deno.test("LogRateLimit admits a burst, then lines at the rate, and counts the rest", () => {
  let now = 0;
  const limit = new LogRateLimit({ linesPerSecond: 10, burst: 3, now: () => now });
  const admitted = () => Array.from({ length: 5 }, () => limit.admit()).filter(Boolean).length;
  assert.equal(admitted(), 3);
  assert.equal(limit.takeDropped(), 2);
  assert.equal(limit.takeDropped(), 0);
  now += 100; // one line's worth
  assert.equal(admitted(), 1);
  now += 10_000; // refills no further than the burst
  assert.equal(admitted(), 3);
  assert.equal(limit.takeDropped(), 6);
});
