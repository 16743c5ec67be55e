import assert from "node:assert/strict";
import { withHost } from "../_support/host_process.ts";
import { jobRequest, submit, userRequest, waitForStatus } from "../_support/requests.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

async function scrape(port: number, path: string): Promise<Response> {
  for (let i = 0; i < 100; i++) {
    try {
      return await fetch(`http://127.0.0.1:${port}${path}`);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  throw new Error(`Nothing serves http://127.0.0.1:${port}${path}`);
}

Deno.test(
  "--metrics-address serves plausible Prometheus metrics and a health document",
  opts,
  async () => {
    const port = freePort();
    await withHost({ args: [`--metrics-address=127.0.0.1:${port}`] }, async ({ client }) => {
      await client.bootstrap();
      const job = await submit(client, "alice");
      await waitForStatus(client, "alice", String(job.id), "Finished");
      for (let i = 0; i < 3; i++) await client.request(jobRequest(client, 3, "alice", "*"));
      const text = await (await scrape(port, "/metrics")).text();
      assert.match(text, /launchbox_requests_total\{method="submitJob",outcome="ok"\} 1\n/);
      const gets = Number(
        /launchbox_requests_total\{method="getJob",outcome="ok"\} (\d+)/.exec(text)?.[1],
      );
      assert.ok(gets >= 4, `expected at least 4 getJob requests, saw ${gets}`);
      assert.match(text, /launchbox_request_duration_seconds_count\{method="submitJob"\} 1\n/);
      assert.match(text, /launchbox_jobs\{status="Finished"\} 1\n/);
      assert.match(
        text,
        /launchbox_instances\{plugin="inmemory",level="none",state="running"\} 1\n/,
      );
      assert.match(text, /launchbox_instance_starts_total\{plugin="inmemory"\} 1\n/);
      assert.match(text, /launchbox_breaker_state\{plugin="inmemory",instance="shared"\} 0\n/);
      const response = await scrape(port, "/health");
      assert.equal(response.status, 200);
      const health = await response.json();
      assert.equal(health.status, "ok");
      assert.deepEqual(health.reasons, []);
      assert.equal(health.metrics, undefined, "/metrics has the numbers");
      assert.equal(health.plugin, "inmemory");
      assert.ok(health.uptimeSeconds >= 0);
    });
  },
);

Deno.test(
  "/metrics counts every Error response by code, also for requests that never decoded",
  opts,
  async () => {
    const port = freePort();
    await withHost({ args: [`--metrics-address=127.0.0.1:${port}`] }, async ({ client }) => {
      await client.bootstrap();
      client.sendBytes(new TextEncoder().encode("{not json"));
      const unknownType = await client.request({ messageType: 77, requestId: 50 });
      assert.equal(unknownType.errorCode, 1);
      const missing = await client.request(userRequest(client, 2, "alice", {}));
      assert.equal(missing.errorCode, 2);
      const badStatus = await client.request(
        jobRequest(client, 3, "alice", "*", { statuses: ["Done"] }),
      );
      assert.equal(badStatus.errorCode, 2);
      const notFound = await client.request(jobRequest(client, 3, "alice", "99"));
      assert.equal(notFound.errorCode, 3);
      const text = await (await scrape(port, "/metrics")).text();
      assert.match(text, /launchbox_error_responses_total\{code="InvalidRequest"\} 3\n/);
      assert.match(text, /launchbox_error_responses_total\{code="RequestNotSupported"\} 1\n/);
      assert.match(text, /launchbox_error_responses_total\{code="JobNotFound"\} 1\n/);
    });
  },
);
