import assert from "node:assert/strict";
import { Metrics } from "./metrics.ts";

Deno.test("Metrics renders counters and gauges with labels in Prometheus text", () => {
  const metrics = new Metrics();
  metrics.inc("launchbox_requests_total", "Requests", { method: "getJob", outcome: "ok" });
  metrics.inc("launchbox_requests_total", "Requests", { method: "getJob", outcome: "ok" });
  metrics.set("launchbox_jobs", "Jobs by status", { status: "Running" }, 3);
  const text = metrics.renderPrometheus();
  assert.match(text, /# TYPE launchbox_requests_total counter\n/);
  assert.match(text, /launchbox_requests_total\{method="getJob",outcome="ok"\} 2\n/);
  assert.match(text, /launchbox_jobs\{status="Running"\} 3\n/);
});

Deno.test("Metrics histograms count into cumulative buckets with sum and count", () => {
  const metrics = new Metrics();
  for (const seconds of [0.002, 0.02, 2]) metrics.observe("lat", "Latency", { m: "x" }, seconds);
  const text = metrics.renderPrometheus();
  assert.match(text, /lat_bucket\{m="x",le="0.001"\} 0\n/);
  assert.match(text, /lat_bucket\{m="x",le="0.005"\} 1\n/);
  assert.match(text, /lat_bucket\{m="x",le="0.025"\} 2\n/);
  assert.match(text, /lat_bucket\{m="x",le="\+Inf"\} 3\n/);
  assert.match(text, /lat_sum\{m="x"\} 2.022\n/);
  assert.match(text, /lat_count\{m="x"\} 3\n/);
});

Deno.test("Metrics runs collectors at scrape time and escapes label values", () => {
  const metrics = new Metrics();
  let running = 1;
  metrics.onCollect(() => {
    metrics.reset("g");
    metrics.set("g", "Gauge", { name: 'a"b' }, running);
  });
  running = 7;
  assert.match(metrics.renderPrometheus(), /g\{name="a\\"b"\} 7\n/);
  assert.deepEqual(metrics.snapshot().g, [{ labels: { name: 'a"b' }, value: 7 }]);
});
