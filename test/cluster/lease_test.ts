import assert from "node:assert/strict";
import postgres from "postgres";
import type { HostProcess } from "../_support/host_process.ts";
import { privatePostgres } from "../_support/postgres.ts";
import { submit } from "../_support/requests.ts";
import { getJobs, TEST_LEASE_MS, TestCluster } from "./_cluster.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const pg = await privatePostgres();
const name = (what: string) => "skip" in pg ? `${what} (skipped: ${pg.skip})` : what;
const ignore = "skip" in pg;

/** Jobs stay Pending for a minute: live, so a restart hands them back. */
const SLOW = ["pending-ms=60000", "run-ms=600000", "tick-ms=1000"];
/** A config the inmemory plugin refuses: its instance cannot start, so it cannot take jobs back. */
const BROKEN = ["pending-ms=broken"];
const BURST = 1500;
const LOST = /Node "node-a" stopped renewing its lease/;

/** The `nodes` row of `node` in the cluster's schema. */
async function nodeRow(url: string, schema: string, node: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql.unsafe(
      `SELECT state, incarnation FROM ${schema}.nodes WHERE id = $1`,
      [node],
    );
    return { state: String(row?.state), incarnation: Number(row?.incarnation) };
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** Submits `count` jobs through `host`, `inFlight` at a time; their IDs. */
async function submitMany(host: HostProcess, count: number, inFlight = 64): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      ids.push(String((await submit(host.client, "alice", { name: `burst ${i}` })).id));
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return ids;
}

/** Polls GetJob through `host` until `done` holds for alice's jobs (or 60 s pass). */
async function waitForJobs(
  host: HostProcess,
  what: string,
  done: (jobs: Record<string, unknown>[]) => boolean,
): Promise<Record<string, unknown>[]> {
  const started = Date.now();
  for (;;) {
    const jobs = await getJobs(host, "alice", "*", { fields: ["id", "status", "statusMessage"] });
    if (done(jobs)) return jobs;
    assert.ok(Date.now() - started < 60_000, `timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

Deno.test({
  name: name("A node that takes 1 500 submits, then fails them all at start-up, keeps its lease"),
  ignore,
  ...opts,
  fn: async () => {
    const url = (pg as { url: string }).url;
    await using cluster = await TestCluster.start(url, SLOW, 2);
    try {
      const ids = await submitMany(cluster.hosts[0]!, BURST);
      assert.equal((await nodeRow(url, cluster.schema, "node-a")).state, "alive", "after submits");
      // A leaves cleanly (its jobs stay its own), then rejoins with a plugin that cannot
      // start: its recovery fails all 1 500 jobs at once, a burst of store writes.
      assert.equal((await cluster.hosts[0]!.stop()).code, 0);
      const a = await cluster.spawnNode(0, BROKEN);
      const b = cluster.hosts[1]!;
      const jobs = await waitForJobs(
        b,
        "the recovery to fail the jobs",
        (all) => ids.every((id) => all.find((j) => j.id === id)?.status === "Failed"),
      );
      const lost = jobs.filter((job) => LOST.test(String(job.statusMessage)));
      assert.equal(lost.length, 0, `${lost.length} jobs were failed over: node-a lost its lease`);
      for (const job of jobs) {
        assert.match(String(job.statusMessage), /could not take the job back after a host restart/);
      }
      await new Promise((resolve) => setTimeout(resolve, TEST_LEASE_MS * 2));
      assert.deepEqual(await nodeRow(url, cluster.schema, "node-a"), {
        state: "alive",
        incarnation: 2,
      });
      assert.equal((await getJobs(a, "alice", "*", { fields: ["id"] })).length, BURST);
    } catch (error) {
      if (error instanceof Error) error.message += `\n${await cluster.stderr()}`;
      throw error;
    }
  },
});

Deno.test({
  name: name(
    "A node that lost its lease exits 1; restarted, it leaves its failed-over jobs Failed",
  ),
  ignore,
  ...opts,
  fn: async () => {
    const url = (pg as { url: string }).url;
    await using cluster = await TestCluster.start(url, SLOW, 2);
    const [a, b] = cluster.hosts as [HostProcess, HostProcess];
    try {
      const ids = await submitMany(a, 5, 5);
      // Paused past its lease, A is declared dead by B, which fails its node-local jobs.
      a.kill("SIGSTOP");
      await waitForJobs(
        b,
        "B to fail over A's jobs",
        (all) => ids.every((id) => LOST.test(String(all.find((j) => j.id === id)?.statusMessage))),
      );
      assert.equal((await nodeRow(url, cluster.schema, "node-a")).state, "expired");
      a.kill("SIGCONT");
      const status = await a.status();
      assert.equal(status.code, 1, "a node that lost its lease exits with an error");
      assert.match(await a.stderr(), /This node lost its cluster lease/);
      // The Launcher restarts it: a new incarnation that does not take the jobs back.
      const again = await cluster.spawnNode(0, SLOW);
      // A host joins once Bootstrap is answered; its first submit waits for that.
      const fresh = await submit(again.client, "alice", { name: "after the restart" });
      assert.deepEqual(await nodeRow(url, cluster.schema, "node-a"), {
        state: "alive",
        incarnation: 2,
      });
      await new Promise((resolve) => setTimeout(resolve, TEST_LEASE_MS * 2));
      const jobs = await getJobs(again, "alice", "*");
      for (const id of ids) {
        const job = jobs.find((j) => j.id === id)!;
        assert.equal(job.status, "Failed", `job ${id} was resurrected`);
        assert.match(String(job.statusMessage), LOST);
      }
      assert.equal(jobs.find((j) => j.id === fresh.id)?.status, "Pending", "the new job is live");
      assert.equal((await nodeRow(url, cluster.schema, "node-a")).state, "alive");
    } catch (error) {
      if (error instanceof Error) error.message += `\n${await cluster.stderr()}`;
      throw error;
    }
  },
});
