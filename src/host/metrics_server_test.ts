import assert from "node:assert/strict";
import { createLogger } from "../log/mod.ts";
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
  const server = serveMetrics("127.0.0.1:0", metrics, {
    log: createLogger({ sinks: [] }),
    health: () => ({ status: "ok" }),
  });
  try {
    const base = `http://127.0.0.1:${server.addr.port}`;
    const text = await (await fetch(`${base}/metrics`)).text();
    assert.match(text, /launchbox_requests_total\{method="getJob"\} 1/);
    const health = await (await fetch(`${base}/health`)).json();
    assert.equal(health.status, "ok");
    assert.equal(health.metrics.launchbox_requests_total[0].value, 1);
    const missing = await fetch(`${base}/nope`);
    assert.equal(missing.status, 404);
    await missing.body?.cancel();
  } finally {
    await server.shutdown();
  }
});
