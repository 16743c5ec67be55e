import assert from "node:assert/strict";
import { withHost } from "../_support/host_process.ts";
import { submit } from "../_support/requests.ts";
import { waitUntil } from "../_support/wait.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const EVERY_SECOND = ["--plugin-metrics-interval-seconds=1"];

Deno.test(
  "A 3.7 Launcher that passes --plugin-metrics-interval-seconds gets Metrics messages with uptime, memory and plugin call latency",
  opts,
  async () => {
    await withHost({ args: EVERY_SECOND }, async ({ client }) => {
      await client.bootstrap(3, 7);
      await submit(client, "alice", { command: "echo hi" });
      await waitUntil(() => client.metrics.some((m) => m.clusterInteractionLatencySample), 8_000);
      const message = client.metrics.find((m) => m.clusterInteractionLatencySample)!;
      assert.equal(message.messageType, 203);
      assert.equal(message.requestId, 0);
      assert.equal(message.responseId, 0);
      assert.ok(Number.isInteger(message.uptimeSeconds) && (message.uptimeSeconds as number) >= 0);
      const memory = message.memoryUsageBytes as number;
      assert.ok(memory > 20 * 1024 * 1024, `host and runner memory, got ${memory} bytes`);
      const sample = message.clusterInteractionLatencySample as { buckets: number[]; sum: number };
      assert.equal(sample.buckets.length, 10);
      assert.ok(sample.buckets.reduce((a, b) => a + b, 0) >= 1, "the submit was a plugin call");
      assert.ok(sample.sum > 0);
      // Metrics, like heartbeats, leave the responseId count of other responses alone.
      const counted = client.received.filter((m) => ![-1, 0, 203].includes(m.messageType));
      assert.deepEqual(counted.map((m) => m.responseId), counted.map((_, i) => i));
    });
  },
);

Deno.test(
  "No Metrics messages to a 3.6 Launcher, nor without --plugin-metrics-interval-seconds",
  opts,
  async () => {
    const quiet = async (args: string[], minor: number) =>
      await withHost({ args }, async ({ client }) => {
        await client.bootstrap(3, minor);
        await submit(client, "alice", { command: "echo hi" });
        await new Promise((resolve) => setTimeout(resolve, 2_500));
        assert.deepEqual(client.metrics, [], `3.${minor} Launcher, args ${args.join(" ")}`);
      });
    await Promise.all([quiet(EVERY_SECOND, 6), quiet([], 7)]);
  },
);

Deno.test(
  "With heartbeats and Metrics on, a Launcher that closes stdin right after Bootstrap sees exit 0",
  opts,
  async () => {
    for (let round = 0; round < 3; round++) {
      await withHost({
        args: [...EVERY_SECOND, "--heartbeat-interval-seconds=1"],
      }, async (host) => {
        const answered = host.client.bootstrap(3, 7).catch(() => undefined);
        await host.client.close();
        await answered;
        assert.equal((await host.status()).code, 0);
      });
    }
  },
);
