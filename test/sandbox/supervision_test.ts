import assert from "node:assert/strict";
import type { LauncherClient } from "../../src/launcher/launcher_client.ts";
import { withHost } from "../_support/host_process.ts";
import { userRequest } from "../_support/requests.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const FIXTURES = new URL("../fixtures/plugins", import.meta.url).pathname;
const SDK = new URL("../../src/sdk/mod.ts", import.meta.url).href;
/** Backoff and breaker cool-down at 5 %: 50 ms first restart, 3 s cool-down. */
const FAST = { LAUNCHBOX_TIME_SCALE: "0.05" };

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

async function metric(port: number, pattern: RegExp): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return Number(pattern.exec(text)?.[1] ?? NaN);
}

function submitNamed(client: LauncherClient, name: string) {
  return client.request(userRequest(client, 2, "alice", { job: { command: "x", name } }));
}

Deno.test(
  "A crashed runner is restarted with backoff and counted in the metrics",
  opts,
  async () => {
    const port = freePort();
    const args = [`--metrics-address=127.0.0.1:${port}`];
    await withHost({
      pluginsDir: FIXTURES,
      pluginName: "crashes_on_submit",
      config: [],
      args,
      env: FAST,
    }, async ({ client }) => {
      await client.bootstrap();
      assert.equal((await submitNamed(client, "fine")).messageType, 2);
      const crash = await submitNamed(client, "crash");
      assert.equal(crash.errorCode, 4);
      let fine = await submitNamed(client, "fine");
      for (let i = 0; i < 40 && fine.messageType !== 2; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        fine = await submitNamed(client, "fine");
      }
      assert.equal(fine.messageType, 2, "the restarted runner serves");
      const plugin = 'plugin="crashes_on_submit"';
      assert.equal(
        await metric(port, new RegExp(`launchbox_instance_restarts_total\\{${plugin}\\} (\\d+)`)),
        1,
      );
      assert.equal(
        await metric(port, new RegExp(`launchbox_instance_failures_total\\{${plugin}\\} (\\d+)`)),
        1,
      );
      assert.equal(
        await metric(port, new RegExp(`launchbox_instance_starts_total\\{${plugin}\\} (\\d+)`)),
        2,
      );
    });
  },
);

Deno.test(
  "The breaker opens after 5 failed starts, fails fast naming the failure, and closes after recovery",
  opts,
  async () => {
    const plugins = await Deno.makeTempDir({ prefix: "launchbox-plugins-" });
    const dir = `${plugins}/fails_until_healthy`;
    await Deno.mkdir(dir);
    await Deno.copyFile(`${FIXTURES}/fails_until_healthy/plugin.yaml`, `${dir}/plugin.yaml`);
    const source = await Deno.readTextFile(`${FIXTURES}/fails_until_healthy/mod.ts`);
    await Deno.writeTextFile(`${dir}/mod.ts`, source.replace("../../../../src/sdk/mod.ts", SDK));
    const port = freePort();
    const args = [`--metrics-address=127.0.0.1:${port}`];
    try {
      await withHost({
        pluginsDir: plugins,
        pluginName: "fails_until_healthy",
        config: [],
        args,
        env: FAST,
      }, async ({ client }) => {
        await client.bootstrap();
        for (let i = 0; i < 5; i++) {
          const failed = await submitNamed(client, "x");
          assert.match(
            String(failed.errorMessage),
            /could not start: Cannot load plugin "fails_until_healthy": \S+\/mod\.ts:\d+: the module threw Error: not healthy yet/,
          );
        }
        const fast = await submitNamed(client, "x");
        assert.match(
          String(fast.errorMessage),
          /^Plugin "fails_until_healthy" instance "shared" is unavailable: breaker open after: failed to start: .*not healthy yet/,
        );
        assert.equal(
          await metric(
            port,
            /launchbox_breaker_state\{plugin="fails_until_healthy",instance="shared"\} (\d)/,
          ),
          2,
        );
        await Deno.writeTextFile(`${dir}/healthy`, "");
        await new Promise((resolve) => setTimeout(resolve, 3_100));
        assert.equal(
          (await submitNamed(client, "x")).messageType,
          2,
          "the half-open trial succeeds",
        );
        let state = NaN;
        for (let i = 0; i < 40 && state !== 0; i++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          state = await metric(
            port,
            /launchbox_breaker_state\{plugin="fails_until_healthy",instance="shared"\} (\d)/,
          );
        }
        assert.equal(state, 0, "a healthy instance closes the breaker");
      });
    } finally {
      await Deno.remove(plugins, { recursive: true });
    }
  },
);
