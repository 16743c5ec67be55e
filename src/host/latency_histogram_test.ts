import assert from "node:assert/strict";
import { CLUSTER_INTERACTION_BUCKETS, LatencyHistogram } from "./latency_histogram.ts";

Deno.test("The cluster interaction buckets are the Launcher's ten bounds, 10 ms to 30 s", () => {
  assert.deepEqual(CLUSTER_INTERACTION_BUCKETS, [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 10, 30]);
});

Deno.test("LatencyHistogram counts per bucket (a bound belongs to its bucket), sums everything, and drains", () => {
  const histogram = new LatencyHistogram();
  for (const seconds of [0.001, 0.01, 0.011, 0.3, 0.3, 7, 45]) histogram.observe(seconds);
  for (const bad of [Number.NaN, -1, Infinity]) histogram.observe(bad);
  const sample = histogram.drain()!;
  assert.deepEqual(sample.buckets, [2, 1, 0, 0, 0, 2, 0, 0, 1, 0], "45 s is above every bound");
  assert.ok(Math.abs(sample.sum - 52.622) < 1e-9, `sum ${sample.sum}`);
  assert.equal(histogram.drain(), undefined, "a drained histogram starts over");
  histogram.observe(2);
  assert.deepEqual(histogram.drain()!.buckets, [0, 0, 0, 0, 0, 0, 0, 1, 0, 0]);
});

Deno.test("LatencyHistogram refuses bounds that are not positive and increasing", () => {
  assert.throws(() => new LatencyHistogram([]), /must not be empty/);
  assert.throws(() => new LatencyHistogram([0.1, 0.1]), /bound 1 is 0.1/);
  assert.throws(() => new LatencyHistogram([0, 1]), /bound 0 is 0/);
});
