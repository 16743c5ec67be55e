import assert from "node:assert/strict";
import postgres from "postgres";
import { privatePostgres } from "../_support/postgres.ts";
import { jobRequest, submit } from "../_support/requests.ts";
import { getJobs, TEST_LEASE_MS, TestCluster } from "./_cluster.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const pg = await privatePostgres();
const name = (what: string) => "skip" in pg ? `${what} (skipped: ${pg.skip})` : what;
const FIXTURES = new URL("../fixtures/plugins", import.meta.url).pathname;
const SHARED_SCHEDULER = { pluginsDir: FIXTURES, pluginName: "shared_scheduler" };

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string) {
  const deadline = Date.now() + TEST_LEASE_MS * 10;
  for (let value = await read();; value = await read()) {
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

Deno.test({
  name: name(
    "A shared-scheduler job of a killed node is adopted, tracked to its end, and not touched by the node's return",
  ),
  ignore: "skip" in pg,
  ...opts,
  fn: async () => {
    const url = (pg as { url: string }).url;
    await using cluster = await TestCluster.start(url, ["run-ms=8000"], 3, SHARED_SCHEDULER);
    const db = postgres(url, { max: 1, onnotice: () => {} });
    const owner = async (id: string) =>
      (await db.unsafe(`SELECT node_id FROM ${cluster.schema}.jobs WHERE seq = $1`, [id]))[0]
        ?.node_id as string | undefined;
    try {
      const [a, , c] = cluster.hosts as [typeof cluster.hosts[0], unknown, typeof cluster.hosts[0]];
      const id = String((await submit(a.client, "alice", { name: "adopt me" })).id);
      assert.equal(await owner(id), "node-a");
      // C follows the job's statuses from start to end.
      const statuses: string[] = [];
      const followed = (async () => {
        for await (const message of c.client.openStream(jobRequest(c.client, 4, "alice", id))) {
          statuses.push(`${message.status}: ${message.statusMessage}`);
          if (message.status === "Finished" || message.status === "Failed") return;
        }
      })();
      a.kill("SIGKILL");
      const survivor = await until(() => owner(id), (node) => node !== "node-a", "the owner");
      assert.ok(survivor === "node-b" || survivor === "node-c", `adopted by ${survivor}`);
      const adopted = await until(
        async () => (await getJobs(c, "alice", id))[0]!,
        (job) => job.statusMessage === "Tracked again after a takeover",
        "the survivor's instance took the job back",
      );
      assert.equal(adopted.status, "Running", "still running on the scheduler, not failed");
      // Node A comes back as a new incarnation while the job still runs.
      const back = await cluster.restart(0);
      const finished = await until(
        async () => (await getJobs(back, "alice", id))[0]!,
        (job) => job.status !== "Running",
        "the job's end",
      );
      assert.equal(finished.status, "Finished");
      assert.equal(finished.exitCode, 0);
      assert.equal(finished.statusMessage, "Finished on the shared scheduler");
      assert.equal(await owner(id), survivor, "the returning node did not take it back");
      await followed;
      assert.deepEqual(statuses, [
        "Running: Running on the shared scheduler",
        "Running: Tracked again after a takeover",
        "Finished: Finished on the shared scheduler",
      ]);
      // Nothing duplicated or changed afterwards, on any node.
      await new Promise((resolve) => setTimeout(resolve, TEST_LEASE_MS * 2));
      const answers = await Promise.all(cluster.hosts.map((h) => getJobs(h, "*", "*")));
      for (const answer of answers) assert.deepEqual(answer, [finished]);
      const rows = await db.unsafe(`SELECT count(*)::int AS n FROM ${cluster.schema}.jobs`);
      assert.equal(rows[0]?.n, 1, "one row for the job");
    } catch (error) {
      if (error instanceof Error) error.message += `\n${await cluster.stderr()}`;
      throw error;
    } finally {
      await db.end({ timeout: 1 });
    }
  },
});
