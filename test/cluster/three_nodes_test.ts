import assert from "node:assert/strict";
import { FAST_INMEMORY } from "../_support/host_process.ts";
import { privatePostgres } from "../_support/postgres.ts";
import { jobRequest, submit, waitForStatus } from "../_support/requests.ts";
import { getJobs, TEST_LEASE_MS, TestCluster } from "./_cluster.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const pg = await privatePostgres();
const name = (what: string) => "skip" in pg ? `${what} (skipped: ${pg.skip})` : what;
const ignore = "skip" in pg;

Deno.test({
  name: name(
    "Three hosts on one PostgreSQL answer alike, stream across nodes and control from a third",
  ),
  ignore,
  ...opts,
  fn: async () => {
    const url = (pg as { url: string }).url;
    await using cluster = await TestCluster.start(url, FAST_INMEMORY);
    const [a, b, c] = cluster.hosts as [
      typeof cluster.hosts[0],
      typeof cluster.hosts[0],
      typeof cluster.hosts[0],
    ];
    try {
      const job = await submit(a.client, "alice", { tags: ["long-running"], name: "across" });
      const id = String(job.id);
      const other = await submit(c.client, "bob", { tags: ["long-running"], name: "bob's" });
      assert.notEqual(String(other.id), id, "IDs are unique across nodes");
      // A status stream on B follows the job submitted through A.
      const statuses: string[] = [];
      const request = jobRequest(b.client, 4, "alice", id);
      const stream = b.client.openStream(request);
      const followed = (async () => {
        for await (const message of stream) {
          statuses.push(String(message.status));
          if (message.status === "Finished" || message.status === "Failed") return;
        }
      })();
      await waitForStatus(b.client, "alice", id, "Running");
      // Both jobs hold still (Running until stopped) while the nodes' answers are compared.
      await waitForStatus(b.client, "bob", String(other.id), "Running");
      // Every node answers the same, for one job, for listings, fields and visibility.
      for (
        const query of [
          ["alice", id, {}],
          ["alice", "*", {}],
          ["*", "*", { fields: ["id", "status", "user"] }],
          ["bob", "*", { statuses: ["Running", "Pending", "Finished"] }],
        ] as const
      ) {
        const answers = await Promise.all(
          cluster.hosts.map((h) => getJobs(h, query[0], query[1], query[2])),
        );
        assert.deepEqual(answers[1], answers[0], `node B answers ${JSON.stringify(query)} as A`);
        assert.deepEqual(answers[2], answers[0], `node C answers ${JSON.stringify(query)} as A`);
      }
      assert.deepEqual(
        (await getJobs(c, "bob", "*")).map((j) => j.id),
        [other.id],
        "bob sees only his",
      );
      // ControlJob through C reaches A, which runs the job.
      const stop = await c.client.request(jobRequest(c.client, 5, "alice", id, { operation: 2 }));
      assert.equal(stop.messageType, 4, JSON.stringify(stop));
      assert.equal(stop.operationComplete, true);
      await followed;
      const finished = (await getJobs(b, "alice", id))[0]!;
      assert.equal(finished.status, "Finished");
      assert.equal(finished.exitCode, 143);
      assert.equal(statuses[0], "Running", `the stream starts where the job is: ${statuses}`);
      assert.equal(statuses.at(-1), "Finished");
      assert.equal(new Set(statuses).size, statuses.length, `no status twice: ${statuses}`);
    } catch (error) {
      if (error instanceof Error) error.message += `\n${await cluster.stderr()}`;
      throw error;
    }
  },
});

Deno.test({
  name: name(
    "After kill -9 of one host mid-burst no acknowledged job is lost and its jobs fail naming it",
  ),
  ignore,
  ...opts,
  fn: async () => {
    const url = (pg as { url: string }).url;
    await using cluster = await TestCluster.start(url, [
      "pending-ms=50",
      "run-ms=60000",
      "tick-ms=100",
    ]);
    const [a, b] = cluster.hosts as [typeof cluster.hosts[0], typeof cluster.hosts[0]];
    try {
      const acknowledged: string[] = [];
      const burst = Array.from(
        { length: 40 },
        (_, i) =>
          submit(b.client, "alice", { name: `burst ${i}` }).then((job) => {
            acknowledged.push(String(job.id));
            if (acknowledged.length === 15) b.kill("SIGKILL");
          }),
      );
      await Promise.allSettled(burst);
      assert.ok(acknowledged.length >= 15, `only ${acknowledged.length} acknowledged`);
      const started = Date.now();
      // Node A claims B's lease once it runs out and fails B's node-local jobs.
      const allFailed = async () => {
        const jobs = await getJobs(a, "alice", "*");
        return acknowledged.every((id) => jobs.find((j) => j.id === id)?.status === "Failed");
      };
      while (!await allFailed()) {
        assert.ok(Date.now() - started < TEST_LEASE_MS * 10, "B's jobs were not failed over");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const jobs = await getJobs(a, "alice", "*");
      for (const id of acknowledged) {
        const job = jobs.find((j) => j.id === id);
        assert.ok(job, `acknowledged job ${id} was lost`);
        assert.match(String(job.statusMessage), /Node "node-b" stopped renewing its lease/);
      }
      // Jobs B took in but never acknowledged are failed over too; compare once all are.
      const settled = async () =>
        (await getJobs(a, "*", "*")).every((j) => j.status !== "Pending" && j.status !== "Running");
      while (!await settled()) {
        assert.ok(Date.now() - started < TEST_LEASE_MS * 10, "B's jobs were not all failed over");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const answers = await Promise.all(
        cluster.hosts.filter((h) => h !== b).map((h) => getJobs(h, "*", "*")),
      );
      assert.deepEqual(answers[1], answers[0], "the survivors answer alike");
    } catch (error) {
      if (error instanceof Error) error.message += `\n${await cluster.stderr()}`;
      throw error;
    }
  },
});
