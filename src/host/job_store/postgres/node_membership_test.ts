import assert from "node:assert/strict";
import { NODE_RENEW_JITTER, NODE_RENEW_RETRY_FRACTION } from "./constants.ts";
import { renewalDelay } from "./node_membership.ts";

Deno.test("renewalDelay spreads renewals by the jitter either way and retries sooner", () => {
  const at = (random: number, failed = false) =>
    renewalDelay(1000, { random: () => random, failed });
  assert.equal(at(0), 1000 * (1 - NODE_RENEW_JITTER));
  assert.equal(at(0.5), 1000);
  assert.ok(at(0.999_999) < 1000 * (1 + NODE_RENEW_JITTER));
  assert.ok(at(0.999_999) > 1000 * (1 + NODE_RENEW_JITTER) - 0.01);
  assert.equal(at(0.5, true), 1000 * NODE_RENEW_RETRY_FRACTION);
  const spread = new Set(Array.from({ length: 50 }, () =>
    renewalDelay(1000, {
      random: Math.random,
      failed: false,
    })));
  assert.ok(spread.size > 1, "two nodes started together do not renew in lockstep");
});
