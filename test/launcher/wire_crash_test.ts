import assert from "node:assert/strict";
import type { LauncherClient, Message } from "../../src/launcher/launcher_client.ts";
import { spawnHost, withHost } from "../_support/host_process.ts";
import { jobRequest, submit, waitForStatus } from "../_support/requests.ts";
import { waitUntil } from "../_support/wait.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const FIXTURES = new URL("../fixtures/plugins", import.meta.url).pathname;
const PLUGIN = "throws_in_timer";
/** Backoff and breaker cool-down at 5 %: 50 ms first restart, 3 s cool-down. */
const FAST = { LAUNCHBOX_TIME_SCALE: "0.05" };
const HOST = { pluginsDir: FIXTURES, pluginName: PLUGIN, config: [], env: FAST };
/** The status message of a job failed after the fixture's `Deno.hostname()` crash. */
const HOSTNAME_CRASH = new RegExp(
  `^Plugin "${PLUGIN}" crashed: NotCapable: Plugin "${PLUGIN}" is not permitted to query ` +
    `system information "hostname" \\(add "hostname" to permissions\\.sys in plugin\\.yaml\\) ` +
    `\\(at /\\S+/${PLUGIN}/mod\\.ts:\\d+:\\d+\\); `,
);

/** The status messages a job's status stream carries until the job is terminal. */
async function statusesUntilTerminal(client: LauncherClient, user: string, id: string) {
  const request = jobRequest(client, 4, user, id, { cancel: false });
  const seen: Message[] = [];
  for await (const message of client.openStream(request)) {
    seen.push(message);
    if (["Failed", "Finished", "Killed", "Canceled"].includes(String(message.status))) break;
  }
  client.cancelStream(request);
  return seen;
}

Deno.test(
  "A plugin that keeps crashing outside a call fails its jobs naming the crash; other users are served",
  opts,
  async () => {
    await withHost(HOST, async ({ client }) => {
      await client.bootstrap();
      const job = await submit(client, "mallory", { name: "boom" });
      const statuses = statusesUntilTerminal(client, "mallory", String(job.id));
      // Alice's instance is another runner: served throughout mallory's crashes.
      for (let i = 0; i < 5; i++) {
        const fine = await submit(client, "alice", { name: "fine" });
        assert.equal(fine.status, "Running");
      }
      const failed = await waitForStatus(client, "mallory", String(job.id), "Failed", 30_000);
      assert.match(String(failed.statusMessage), HOSTNAME_CRASH);
      assert.match(
        String(failed.statusMessage),
        /; it kept failing and its circuit breaker is open$/,
      );
      const last = (await statuses).at(-1)!;
      assert.equal(last.status, "Failed", "the status stream delivered the end of the job");
      assert.equal(last.statusMessage, failed.statusMessage);
      const output = await client.request(jobRequest(client, 6, "mallory", String(job.id), {
        cancel: false,
        outputType: 0,
      }));
      assert.ok(
        output.messageType === -1 || output.complete === true,
        `the output stream ends: ${JSON.stringify(output)}`,
      );
      assert.equal((await submit(client, "alice", { name: "fine" })).status, "Running");
    });
  },
);

Deno.test(
  "After a crash the restarted instance is asked again through recover",
  opts,
  async () => {
    await withHost(HOST, async ({ client }) => {
      await client.bootstrap();
      const job = await submit(client, "mallory", { name: "boom-once" });
      const running = await waitForStatus(client, "mallory", String(job.id), "Running", 20_000);
      assert.equal(running.statusMessage, "Recovered");
    });
  },
);

Deno.test(
  "An unhandled rejection in a plugin is a crash that names the rejection",
  opts,
  async () => {
    await withHost(HOST, async ({ client }) => {
      await client.bootstrap();
      const job = await submit(client, "mallory", { name: "reject" });
      const failed = await waitForStatus(client, "mallory", String(job.id), "Failed", 30_000);
      assert.match(
        String(failed.statusMessage),
        new RegExp(
          `^Plugin "${PLUGIN}" crashed: RangeError: Lost track of the queue \\(at /\\S+/mod\\.ts:\\d+:\\d+\\); `,
        ),
      );
    });
  },
);

Deno.test(
  "A job whose plugin crashes is failed naming the crash after the host is killed and restarted",
  opts,
  async () => {
    const scratch = await Deno.makeTempDir({ prefix: "launchbox-test-" });
    try {
      let id = "";
      {
        await using host = await spawnHost({ ...HOST, scratch });
        await host.client.bootstrap();
        id = String((await submit(host.client, "mallory", { name: "boom" })).id);
        host.kill("SIGKILL");
        await host.status();
      }
      await withHost({ ...HOST, scratch }, async ({ client }) => {
        await client.bootstrap();
        const failed = await waitForStatus(client, "mallory", id, "Failed", 30_000);
        assert.match(String(failed.statusMessage), HOSTNAME_CRASH);
        assert.equal((await submit(client, "alice", { name: "fine" })).status, "Running");
      });
    } finally {
      await Deno.remove(scratch, { recursive: true });
    }
  },
);

Deno.test(
  "A job whose plugin crashed is failed naming that crash when the host is killed before reconciling it",
  opts,
  async () => {
    const plugin = "crashes_without_recover";
    const scratch = await Deno.makeTempDir({ prefix: "launchbox-test-" });
    const log = `${scratch}/log/${plugin}.log`;
    const host = { pluginsDir: FIXTURES, pluginName: plugin, config: [], scratch };
    try {
      let id = "";
      {
        // A 30 s restart backoff: the host is killed while the reconciler waits for it.
        await using first = await spawnHost({ ...host, env: { LAUNCHBOX_TIME_SCALE: "30" } });
        await first.client.bootstrap();
        id = String((await submit(first.client, "mallory", { name: "boom" })).id);
        await waitUntil(
          () => readOrEmpty(log).includes("Reconciling the jobs of a crashed"),
          20_000,
        );
        first.kill("SIGKILL");
        await first.status();
      }
      await withHost({ ...host, env: FAST }, async ({ client }) => {
        await client.bootstrap();
        const failed = await waitForStatus(client, "mallory", id, "Failed", 30_000);
        assert.match(
          String(failed.statusMessage),
          new RegExp(
            `^Plugin "${plugin}" crashed: TypeError: Queue file is corrupt \\(at /\\S+/${plugin}/mod\\.ts:\\d+:\\d+\\); ` +
              "it could not take the job back after a host restart; the plugin does not implement recover\\(\\)",
          ),
        );
        // The note goes once the reconciliation that used it has failed the jobs: just after.
        await waitUntil(() => [...Deno.readDirSync(`${scratch}/crashes`)].length === 0, 10_000)
          .catch(() => assert.fail("the note is not used up"));
      });
    } finally {
      await Deno.remove(scratch, { recursive: true });
    }
  },
);

function readOrEmpty(path: string): string {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return "";
  }
}
