import assert from "node:assert/strict";
import { privatePostgres } from "../_support/postgres.ts";
import { submit, waitForStatus } from "../_support/requests.ts";
import { ensureTestUsers, TEST_USERS } from "../_support/system_users.ts";
import { getJobs, TestCluster } from "./_cluster.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const pg = await privatePostgres();
const users = "skip" in pg ? undefined : await ensureTestUsers();
const skip = "skip" in pg ? pg.skip : users;
const ALICE = TEST_USERS[0];
const LOCAL = { pluginName: "local" };
const LOST = /Node "node-a" stopped renewing its lease/;

/** The processes of group `pgid` that have not ended (zombies are left out: they ended). */
async function liveProcessesOf(pgid: number): Promise<string[]> {
  const ps = await new Deno.Command("ps", { args: ["-e", "-o", "pgid=,pid=,stat=,args="] })
    .output();
  return new TextDecoder().decode(ps.stdout).split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter(([group, , stat]) => Number(group) === pgid && !stat?.startsWith("Z"))
    .map((fields) => fields.slice(1).join(" "));
}

Deno.test({
  name: "A node that lost its lease kills its local jobs' process groups before it exits" +
    (skip ? ` (skipped: ${skip})` : ""),
  ignore: skip !== undefined,
  ...opts,
  fn: async () => {
    const url = (pg as { url: string }).url;
    await using cluster = await TestCluster.start(url, [], 2, LOCAL);
    const [a, b] = cluster.hosts as [(typeof cluster.hosts)[0], (typeof cluster.hosts)[0]];
    let pgid = 0;
    try {
      const job = await submit(a.client, ALICE, { command: "sleep 120 & sleep 120; wait" });
      const running = await waitForStatus(a.client, ALICE, String(job.id), "Running");
      pgid = Number(running.pid);
      assert.ok(pgid > 1, `the job's pid: ${running.pid}`);
      assert.ok((await liveProcessesOf(pgid)).length >= 2, "the job's process group runs");
      // Paused past its lease, A is declared dead by B, which fails its job.
      a.kill("SIGSTOP");
      const deadline = Date.now() + 30_000;
      for (;;) {
        const [seen] = await getJobs(b, ALICE, String(job.id));
        if (LOST.test(String(seen?.statusMessage))) break;
        assert.ok(Date.now() < deadline, "B did not fail over A's job within 30 s");
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      a.kill("SIGCONT");
      assert.equal((await a.status()).code, 1, "a node that lost its lease exits with an error");
      assert.deepEqual(await liveProcessesOf(pgid), [], "the job's processes outlived its node");
      const log = await a.stderr();
      assert.match(log, /This node lost its cluster lease/);
      const stopped = log.split("\n").find((line) =>
        line.includes("Stopped the processes of the jobs failed over from this node's lost lease")
      );
      assert.ok(stopped, "the stop is logged");
      assert.equal(JSON.parse(stopped).node, "node-a");
      assert.equal(JSON.parse(stopped).stopped, 1);
      const [after] = await getJobs(b, ALICE, String(job.id));
      assert.equal(after?.status, "Failed", "the job stays Failed");
      assert.match(String(after?.statusMessage), LOST);
    } catch (error) {
      if (error instanceof Error) error.message += `\n${await cluster.stderr()}`;
      throw error;
    } finally {
      // A group the host left running (when the test fails) goes with the test.
      if (pgid > 1 && (await liveProcessesOf(pgid)).length > 0) Deno.kill(-pgid, "SIGKILL");
    }
  },
});
