import assert from "node:assert/strict";
import { createLogger } from "../log/mod.ts";
import type { HealthStatus } from "./health.ts";
import { Metrics } from "./metrics.ts";
import { parseAddress, serveMetrics } from "./metrics_server.ts";

Deno.test("parseAddress reads host:port, [v6]:port and a bare port", () => {
  assert.deepEqual(parseAddress("127.0.0.1:9100"), { hostname: "127.0.0.1", port: 9100 });
  assert.deepEqual(parseAddress("[::1]:9100"), { hostname: "::1", port: 9100 });
  assert.deepEqual(parseAddress("9100"), { hostname: "127.0.0.1", port: 9100 });
  assert.throws(() => parseAddress("nowhere"), /Cannot use metrics address "nowhere"/);
});

Deno.test("serveMetrics answers /metrics, /health and 404", async () => {
  const metrics = new Metrics();
  metrics.inc("launchbox_requests_total", "Requests", { method: "getJob" });
  let status: HealthStatus = "ok";
  const server = serveMetrics("127.0.0.1:0", metrics, {
    log: createLogger({ sinks: [] }),
    health: () => ({ status, reasons: status === "ok" ? [] : ["why"] }),
  });
  try {
    const base = `http://127.0.0.1:${server.addr.port}`;
    const text = await (await fetch(`${base}/metrics`)).text();
    assert.match(text, /launchbox_requests_total\{method="getJob"\} 1/);
    for (const [verdict, code] of [["ok", 200], ["degraded", 200], ["failing", 503]] as const) {
      status = verdict;
      const response = await fetch(`${base}/health`);
      assert.equal(response.status, code, verdict);
      const health = await response.json();
      assert.equal(health.status, verdict);
      assert.equal(health.reasons.length, verdict === "ok" ? 0 : 1);
    }
    const missing = await fetch(`${base}/nope`);
    assert.equal(missing.status, 404);
    await missing.body?.cancel();
  } finally {
    await server.shutdown();
  }
});
