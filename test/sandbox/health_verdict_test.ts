import assert from "node:assert/strict";
import { withHost } from "../_support/host_process.ts";
import { userRequest } from "../_support/requests.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const FIXTURES = new URL("../fixtures/plugins", import.meta.url).pathname;

/**
 * Fetches `url`, retrying (bounded) while nothing listens yet: the metrics server starts
 * with the job store, once the Bootstrap answer is written rather than before it.
 */
async function fetchWhenServing(url: string): Promise<Response> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    try {
      return await fetch(url);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

Deno.test(
  "/health turns degraded (200) when a plugin fails to load, failing (503) once its breaker opens",
  opts,
  async () => {
    const port = freePort();
    await withHost({
      pluginsDir: FIXTURES,
      pluginName: "throws_at_load",
      config: [],
      args: [`--metrics-address=127.0.0.1:${port}`],
      env: { LAUNCHBOX_TIME_SCALE: "0.05" },
    }, async ({ client }) => {
      await client.bootstrap();
      const health = async () => {
        const response = await fetchWhenServing(`http://127.0.0.1:${port}/health`);
        return { code: response.status, body: await response.json() };
      };
      const before = await health();
      assert.equal(before.code, 200);
      assert.deepEqual([before.body.status, before.body.reasons], ["ok", []]);
      const submit = () =>
        client.request(userRequest(client, 2, "alice", { job: { command: "x" } }));
      assert.equal((await submit()).errorCode, 0);
      const degraded = await health();
      assert.equal(degraded.code, 200);
      assert.equal(degraded.body.status, "degraded");
      assert.match(
        degraded.body.reasons[0],
        /^Plugin "throws_at_load" instance "shared" could not start: .*broken on purpose/,
      );
      for (let i = 0; i < 4; i++) await submit();
      const failing = await health();
      assert.equal(failing.code, 503);
      assert.equal(failing.body.status, "failing");
      assert.match(
        failing.body.reasons[0],
        /instance "shared" has its circuit breaker open after 5 consecutive failures/,
      );
      assert.equal(failing.body.instances[0].state, "broken");
    });
  },
);
