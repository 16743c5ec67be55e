import type { JsonLogger } from "../log/mod.ts";
import { type HealthStatus, httpStatusOf } from "./health.ts";
import type { Metrics } from "./metrics.ts";

/**
 * Serves `/metrics` (Prometheus text) and `/health` (JSON) on `address` (`host:port`, or
 * just `port` for 127.0.0.1). `/health` answers 200 for `ok` and `degraded`, 503 for
 * `failing`. A non-loopback host is allowed but logged as a warning.
 */
export function serveMetrics(
  address: string,
  metrics: Metrics,
  options: { log: JsonLogger; health: () => { status: HealthStatus } & Record<string, unknown> },
): Deno.HttpServer<Deno.NetAddr> {
  const { hostname, port } = parseAddress(address);
  if (!isLoopback(hostname)) {
    options.log.warn("Metrics are served beyond loopback", { address });
  }
  return Deno.serve({ hostname, port, onListen: () => {} }, async (request) => {
    const path = new URL(request.url).pathname;
    if (request.method !== "GET") return new Response("Method not allowed\n", { status: 405 });
    if (path === "/metrics") {
      await metrics.refresh();
      return new Response(metrics.renderPrometheus(), {
        headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" },
      });
    }
    if (path === "/health") {
      // Never waits on the job store: a probe must answer while the store is down.
      const health = options.health();
      return Response.json(health, {
        status: httpStatusOf(health.status),
        headers: { "cache-control": "no-store" },
      });
    }
    return new Response("Not found: try /metrics or /health\n", { status: 404 });
  });
}

/** Splits `host:port` (or `[v6]:port`, or `port`); throws a `TypeError` naming the value. */
export function parseAddress(address: string): { hostname: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(address) ?? /^()()(\d+)$/.exec(address);
  const port = Number(match?.[3]);
  if (!match || !Number.isInteger(port) || port > 65535) {
    throw new TypeError(`Cannot use metrics address "${address}": expected HOST:PORT or PORT`);
  }
  return { hostname: match[1] || match[2] || "127.0.0.1", port };
}

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "::1" || hostname.startsWith("127.");
}
