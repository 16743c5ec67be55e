import assert from "node:assert/strict";
import { LatencyHistogram } from "./latency_histogram.ts";
import { pluginMetricsSampler } from "./plugin_metrics.ts";

Deno.test("pluginMetricsSampler reports uptime, host plus runner memory, and drained call latency", async () => {
  const latency = new LatencyHistogram();
  const sample = pluginMetricsSampler({
    startedAt: performance.now() - 5_000,
    latency,
    runnerPids: () => Promise.resolve([11, 12, 13]),
    residentBytes: (pids) => Promise.resolve(pids.length * 1_000_000),
  });
  latency.observe(0.02);
  const first = await sample();
  assert.ok(first.uptimeSeconds >= 5 && first.uptimeSeconds < 60, `uptime ${first.uptimeSeconds}`);
  assert.ok(first.memoryUsageBytes > Deno.memoryUsage().rss / 2 + 3_000_000);
  assert.deepEqual(first.clusterInteractionLatencySample?.buckets, [0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
  const second = await sample();
  assert.equal(second.clusterInteractionLatencySample, undefined, "nothing called since");
});

Deno.test("pluginMetricsSampler asks ps for the memory of live processes", async () => {
  const sampler = (pids: number[]) =>
    pluginMetricsSampler({
      startedAt: performance.now(),
      latency: new LatencyHistogram(),
      runnerPids: () => Promise.resolve(pids),
    });
  const hostOnly = (await sampler([])()).memoryUsageBytes;
  // This process counted twice: as the host and as its own "runner".
  const withRunner = (await sampler([Deno.pid])()).memoryUsageBytes;
  assert.ok(withRunner - hostOnly > 10 * 1024 * 1024, `${hostOnly} → ${withRunner} bytes`);
});
