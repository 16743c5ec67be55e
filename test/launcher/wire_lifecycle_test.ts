import assert from "node:assert/strict";
import { LauncherClient } from "../../src/launcher/launcher_client.ts";
import { spawnHost, withHost } from "../_support/host_process.ts";
import { jobRequest, submit, userRequest, waitForStatus } from "../_support/requests.ts";
import { waitUntil } from "../_support/wait.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const FIXTURES = new URL("../fixtures/launcher_plugins", import.meta.url).pathname;

Deno.test("The host exits 0 when the Launcher closes stdin", opts, async () => {
  await withHost({}, async (host) => {
    await host.client.bootstrap();
    const status = await host.stop();
    assert.equal(status.code, 0);
  });
});

Deno.test("The host exits 0 on SIGTERM after finishing requests in flight", opts, async () => {
  await withHost({ pluginsDir: FIXTURES, pluginName: "slow_submit", config: [] }, async (host) => {
    await host.client.bootstrap();
    const reply = host.client.request(
      userRequest(host.client, 2, "alice", { job: { command: "x" } }),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    host.kill("SIGTERM");
    assert.equal((await reply).messageType, 2, "the submit in flight was still answered");
    assert.equal((await host.status()).code, 0);
  });
});

Deno.test("Jobs survive a SIGKILL of the host and are served after a restart", opts, async () => {
  const first = await spawnHost({});
  first.keepScratch();
  const ids: string[] = [];
  try {
    await first.client.bootstrap();
    for (let i = 0; i < 5; i++) {
      ids.push(String((await submit(first.client, "alice", { name: `j${i}` })).id));
    }
    await waitForStatus(first.client, "alice", ids[0]!, "Finished");
  } finally {
    first.kill("SIGKILL");
    await first.status();
    await first[Symbol.asyncDispose]();
  }
  await withHost({ scratch: first.scratch }, async ({ client }) => {
    await client.bootstrap();
    const reply = await client.request(jobRequest(client, 3, "alice", "*"));
    const jobs = reply.jobs as { id: string; name: string; status: string }[];
    assert.deepEqual(jobs.map((j) => j.id), ids);
    assert.equal(jobs[0]!.status, "Finished");
    const fresh = await submit(client, "alice");
    assert.ok(!ids.includes(String(fresh.id)), "IDs are never reused");
    for (const id of ids) await waitForStatus(client, "alice", id, "Finished");
  });
  await Deno.remove(first.scratch, { recursive: true });
});

Deno.test("A SIGKILL during a burst of submits loses no acknowledged job", opts, async () => {
  const first = await spawnHost({});
  first.keepScratch();
  const acknowledged: string[] = [];
  try {
    await first.client.bootstrap();
    const pending = Array.from(
      { length: 40 },
      (_, i) =>
        submit(first.client, "alice", { name: `burst ${i}` }).then((job) => {
          acknowledged.push(String(job.id));
          if (acknowledged.length === 15) first.kill("SIGKILL");
        }),
    );
    await Promise.allSettled(pending);
  } finally {
    await first[Symbol.asyncDispose]();
  }
  assert.ok(acknowledged.length >= 15);
  await withHost({ scratch: first.scratch }, async ({ client }) => {
    await client.bootstrap();
    const reply = await client.request(jobRequest(client, 3, "alice", "*", { fields: ["id"] }));
    const stored = new Set((reply.jobs as { id: string }[]).map((j) => j.id));
    for (const id of acknowledged) assert.ok(stored.has(id), `acknowledged job ${id} was lost`);
  });
  await Deno.remove(first.scratch, { recursive: true });
});

Deno.test("Slow plugin calls never starve heartbeats or other requests", opts, async () => {
  await withHost(
    { pluginsDir: FIXTURES, pluginName: "slow_submit", config: [] },
    async ({ client }) => {
      await client.bootstrap();
      // A submit that never finishes: only the host's 2 s deadline answers it.
      const slow = client.request(
        userRequest(client, 2, "alice", { job: { command: "x", tags: ["hang"] } }),
      );
      let slowAnswered = false;
      const slowReply = slow.finally(() => slowAnswered = true);
      slowReply.catch(() => {}); // a failed assertion below must not leave it unhandled
      client.send({ messageType: 0, requestId: 0 });
      const info = await client.request(userRequest(client, 9, "alice"));
      assert.deepEqual(info.queues, ["slow"]);
      await waitUntil(() => client.heartbeats.length === 1);
      assert.ok(!slowAnswered, "answered while the slow submit was still running");
      assert.equal((await slowReply).errorCode, 5);
    },
  );
});

Deno.test("A plugin call past its deadline is answered with error 5", opts, async () => {
  await withHost(
    { pluginsDir: FIXTURES, pluginName: "slow_submit", config: [] },
    async ({ client }) => {
      await client.bootstrap();
      const reply = await client.request(
        userRequest(client, 2, "alice", { job: { command: "x", tags: ["hang"] } }),
      );
      assert.equal(reply.errorCode, 5);
      assert.equal(reply.errorMessage, 'Plugin "slow_submit" submitJob did not finish within 2 s');
      const none = await client.request(jobRequest(client, 3, "alice", "*"));
      assert.deepEqual(none.jobs, [], "a failed submit leaves no job behind");
    },
  );
});

Deno.test("Many pipelined requests are all answered, matched by requestId", opts, async () => {
  await withHost({}, async ({ client }) => {
    await client.bootstrap();
    const job = await submit(client, "alice");
    const replies = await Promise.all(
      Array.from(
        { length: 200 },
        () => client.request(jobRequest(client, 3, "alice", String(job.id))),
      ),
    );
    assert.ok(
      replies.every((r) => r.messageType === 2 && (r.jobs as { id: string }[])[0]!.id === job.id),
    );
    const responseIds = new Set(client.received.map((m) => m.responseId));
    assert.equal(responseIds.size, client.received.length, "responseIds are unique");
  });
});

Deno.test("A plugin printing to stdout cannot break the protocol", opts, async () => {
  await withHost(
    { pluginsDir: FIXTURES, pluginName: "prints_stdout", config: [] },
    async (host) => {
      const { client } = host;
      await client.bootstrap();
      const job = await submit(client, "alice");
      await client.request(userRequest(client, 9, "alice"));
      await client.request(jobRequest(client, 5, "alice", String(job.id), { operation: 2 }));
      const status = await host.stop();
      assert.equal(status.code, 0);
      assert.equal(client.readError, undefined, "stdout held only frames");
      assert.match(await host.stderr(), /submitting/);
    },
  );
});

Deno.test("A host started only with Launcher test-tool flags still serves", opts, async () => {
  const scratch = await Deno.makeTempDir();
  // The scratch path comes from the config file, so the test never writes the Launcher's
  // default /var/lib/rstudio-launcher on the machine that runs it.
  await Deno.writeTextFile(
    `${scratch}/launcher.launchbox.conf`,
    `plugin=inmemory\nscratch-path=${scratch}/scratch\n`,
  );
  const child = new Deno.Command(new URL("../../bin/launchbox", import.meta.url).pathname, {
    args: ["--heartbeat-interval-seconds=0", "--enable-debug-logging=1"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { RSTUDIO_CONFIG_DIR: scratch },
  }).spawn();
  const client = new LauncherClient(child.stdout, child.stdin);
  const reply = await client.bootstrap();
  assert.equal(reply.messageType, 1);
  await client.close();
  assert.equal((await child.status).code, 0);
  await child.stderr.cancel();
  await Deno.remove(scratch, { recursive: true });
});

Deno.test("Unknown options are refused with a one-line error and exit 2", opts, async () => {
  const output = await new Deno.Command(new URL("../../bin/launchbox", import.meta.url).pathname, {
    args: ["--heartbeat-interval-seconds=0", "--frobnicate=1", "--colour"],
    stdin: "null",
  }).output();
  assert.equal(output.code, 2);
  assert.equal(output.stdout.length, 0);
  assert.equal(
    new TextDecoder().decode(output.stderr),
    "launchbox: Unknown options --frobnicate, --colour (see --help)\n",
  );
});
