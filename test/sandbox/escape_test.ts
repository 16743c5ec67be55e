import assert from "node:assert/strict";
import type { LauncherClient } from "../../src/launcher/launcher_client.ts";
import { withHost } from "../_support/host_process.ts";
import { jobRequest, userRequest } from "../_support/requests.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const FIXTURES = new URL("../fixtures/plugins", import.meta.url).pathname;

function submitNamed(client: LauncherClient, user: string, name: string) {
  return client.request(userRequest(client, 2, user, { job: { command: "x", name } }));
}

/** After a refusal, the instance (restarted if it had to be) serves a harmless job. */
async function stillServes(client: LauncherClient): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const reply = await submitNamed(client, "alice", "fine");
    if (reply.messageType === 2) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error("The plugin did not serve again within 15 s");
}

// Refusals of files, network, environment, programs and Deno.exit are probed at every
// isolation level by the hostile-plugin suite (test/escape/).

Deno.test("Sandbox refuses reading another session's instance directory", opts, async () => {
  const config = ["tenant.alice=team", "tenant.bob=team"];
  await withHost(
    { pluginsDir: FIXTURES, pluginName: "reads_other_session", config },
    async (host) => {
      const { client } = host;
      await client.bootstrap();
      assert.equal((await submitNamed(client, "bob", "fine")).messageType, 2);
      const bobDir = `${host.scratch}/instances/ns/team/bob`;
      await Deno.writeTextFile(`${bobDir}/secret.txt`, "bob's secret");
      const reply = await submitNamed(client, "alice", "bob");
      assert.equal(reply.messageType, -1);
      assert.equal(
        reply.errorMessage,
        `Plugin "reads_other_session" is not permitted to read "${bobDir}/secret.txt"`,
      );
      const mode = (await Deno.stat(bobDir)).mode! & 0o777;
      assert.equal(mode, 0o700, "session directories are private to their owner");
    },
  );
});

Deno.test(
  "Sandbox contains a plugin that writes to stdout: the runner is replaced, the Launcher channel stays clean",
  opts,
  async () => {
    await withHost(
      { pluginsDir: FIXTURES, pluginName: "writes_stdout", config: [] },
      async (host) => {
        await host.client.bootstrap();
        const reply = await submitNamed(host.client, "alice", "escape");
        assert.equal(reply.errorCode, 4);
        assert.match(
          String(reply.errorMessage),
          /^Plugin "writes_stdout" instance "shared" wrote to its runner's stdout, which carries only frames \(Cannot decode a frame from the runner: .*\); the runner was stopped$/,
        );
        await stillServes(host.client);
        assert.equal((await host.stop()).code, 0);
        assert.equal(host.client.readError, undefined);
        assert.match(await host.stderr(), /The runner broke its channel; stopping it/);
      },
    );
  },
);

const CONTAINED: [string, number, RegExp][] = [
  ["never_answers", 5, /^Plugin "never_answers" submitJob did not finish within 2 s$/],
  ["loops_forever", 5, /^Plugin "loops_forever" submitJob did not finish within 2 s$/],
  [
    "exhausts_memory",
    4,
    /^Plugin "exhausts_memory" instance "shared" stopped \((signal SIGTRAP|signal SIGABRT|exit code \d+)\) before answering$/,
  ],
];

for (const [plugin, code, message] of CONTAINED) {
  Deno.test(
    `Sandbox contains ${plugin}: the request fails clearly and the plugin serves again`,
    opts,
    async () => {
      await withHost(
        { pluginsDir: FIXTURES, pluginName: plugin, config: [] },
        async ({ client }) => {
          await client.bootstrap();
          const reply = await submitNamed(client, "alice", "escape");
          assert.equal(reply.errorCode, code, String(reply.errorMessage));
          assert.match(String(reply.errorMessage), message);
          await stillServes(client);
          const jobs = await client.request(jobRequest(client, 3, "alice", "*"));
          assert.deepEqual((jobs.jobs as { name: string }[]).map((j) => j.name), ["fine"]);
        },
      );
    },
  );
}

Deno.test(
  "A plugin that throws at load is reported by name and the host keeps answering",
  opts,
  async () => {
    await withHost(
      { pluginsDir: FIXTURES, pluginName: "throws_at_load", config: [] },
      async ({ client }) => {
        await client.bootstrap();
        const reply = await submitNamed(client, "alice", "any");
        assert.equal(reply.errorCode, 0);
        assert.match(
          String(reply.errorMessage),
          /^Plugin "throws_at_load" instance "shared" is unavailable: Plugin "throws_at_load" could not start: Cannot load plugin "throws_at_load": \S*throws_at_load\/mod\.ts:4: the module threw Error: this plugin is broken on purpose/,
        );
        const jobs = await client.request(jobRequest(client, 3, "alice", "*"));
        assert.deepEqual(jobs.jobs, []);
      },
    );
  },
);
