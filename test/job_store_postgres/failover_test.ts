import assert from "node:assert/strict";
import {
  failOver,
  nodeLostMessage,
  NodeRegistry,
  PostgresJobStore,
} from "../../src/host/job_store/postgres/mod.ts";
import { dropSchema, freshSchema, privatePostgres } from "../_support/postgres.ts";
import { fakeClock } from "./_contract.ts";

const target = await privatePostgres();
const skip = "skip" in target ? target.skip : undefined;
const LEASE = 10_000;

Deno.test({
  name: `A dead node's local jobs fail naming it, its slurm jobs move to a survivor, and it ` +
    `resurrects neither when it comes back${skip ? ` (skipped: ${skip})` : ""}`,
  ignore: skip !== undefined,
  async fn() {
    const url = (target as { url: string }).url;
    const schema = freshSchema();
    const a = await PostgresJobStore.open({ url, schema, nodeId: "node-a", expiryHours: 1 });
    const b = await PostgresJobStore.open({ url, schema, nodeId: "node-b", expiryHours: 1 });
    try {
      const clock = fakeClock();
      const registry = new NodeRegistry(b.sql, { clock });
      await registry.register("node-a", "a:5559", LEASE);
      const survivor = await registry.register("node-b", "b:5559", LEASE);
      const local = { instanceKey: "alice", plugin: "local" };
      const slurm = { instanceKey: "shared", plugin: "slurm" };
      const running = await a.insert({ user: "alice", status: "Running" }, local);
      const queued = await a.insert({ user: "alice", status: "Pending" }, slurm);
      const done = await a.insert({ user: "alice", status: "Finished" }, local);
      const onB = await b.insert({ user: "alice", status: "Running" }, local);
      clock.advance(LEASE);
      assert.equal(await registry.renew(survivor, LEASE), true);
      const [dead, ...others] = await registry.expire();
      assert.deepEqual([dead?.id, others], ["node-a", []]);

      const result = await failOver(b, dead!, { adopt: (job) => job.plugin === "slurm" });
      assert.deepEqual(result, { failed: [running.id], adopted: [queued.id] });
      const failed = (await a.get(running.id))!.job;
      assert.deepEqual([failed.status, failed.statusMessage], [
        "Failed",
        nodeLostMessage("node-a"),
      ]);
      assert.equal((await a.get(queued.id))!.node, "node-b");
      assert.equal((await a.get(done.id))!.job.status, "Finished");
      assert.equal((await a.get(onB.id))!.job.status, "Running");

      // Node A comes back: nothing of its old jobs is live and its own, and its stale
      // update of the failed job is refused.
      await registry.register("node-a", "a:5559", LEASE);
      assert.deepEqual(await a.jobsOfNode("node-a", { live: true }), []);
      const stale = await a.update(running.id, { status: "Running" });
      assert.match(stale?.rejected ?? "", /from Failed to Running/);
      assert.deepEqual(await failOver(b, dead!, { adopt: () => true }), {
        failed: [],
        adopted: [],
      });
    } finally {
      await a.close();
      await b.close();
      await dropSchema(url, schema);
    }
  },
});
