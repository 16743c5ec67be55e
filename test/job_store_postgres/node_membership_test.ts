import assert from "node:assert/strict";
import {
  type FailoverResult,
  type NodeLease,
  NodeMembership,
  NodeRegistry,
  type PostgresJobStore,
} from "../../src/host/job_store/postgres/mod.ts";
import { fakeClock } from "./_contract.ts";
import { draft, META, test, twoNodes } from "./_two_nodes.ts";

const LEASE = 9_000;
const adoptNone = { adopt: () => false };

function join(store: PostgresJobStore, registry: NodeRegistry, log: string[]) {
  return NodeMembership.join({
    registry,
    store,
    address: `${store.nodeId}:5559`,
    policy: adoptNone,
    leaseMs: LEASE,
    onLost: (lease: NodeLease) => log.push(`lost ${lease.id}`),
    onFailover: (dead: NodeLease, result: FailoverResult) =>
      log.push(`${store.nodeId} took ${dead.id}: failed ${result.failed.join(",")}`),
  });
}

test("NodeMembership: a survivor's tick fails a silent node's jobs; the silent node learns it lost", async () => {
  await using t = await twoNodes();
  const clock = fakeClock();
  const registry = new NodeRegistry(t.a.sql, { clock });
  const log: string[] = [];
  const a = await join(t.a, registry, log);
  const b = await join(t.b, registry, log);
  const job = await t.a.insert(draft({ status: "Running" }), META);
  clock.advance(LEASE / 2);
  await Promise.all([a.tick(), b.tick()]);
  clock.advance(LEASE);
  assert.deepEqual(log, [], "nothing expires while both renew");
  await b.tick();
  assert.deepEqual(log, [`node-b took node-a: failed ${job.id}`]);
  assert.equal((await t.b.get(job.id))!.job.status, "Failed");
  await a.tick();
  await a.tick();
  assert.deepEqual(log.slice(1), ["lost node-a"], "the loss is reported once");
  assert.equal(a.lost, true);
  await a[Symbol.asyncDispose]();
  await b[Symbol.asyncDispose]();
  assert.deepEqual(await registry.peers(), [], "b left; a was already gone");
});

test("NodeMembership.run keeps renewing on its own until disposed, then leaves", async () => {
  await using t = await twoNodes();
  const registry = new NodeRegistry(t.a.sql);
  const errors: unknown[] = [];
  const membership = await NodeMembership.join({
    registry,
    store: t.a,
    address: "a:5559",
    policy: adoptNone,
    leaseMs: 60_000,
    renewMs: 20,
    onError: (error) => errors.push(error),
  });
  const first = membership.lease;
  membership.run();
  const leaseUntil = async () => (await registry.peers())[0]?.leaseUntilMs ?? 0;
  const start = await leaseUntil();
  // Renewals move the lease forward; the database clock gives each a later end.
  let latest = start;
  for (let tries = 0; latest <= start && tries < 500; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    latest = await leaseUntil();
  }
  assert.ok(latest > start, "the lease was renewed by run()");
  await membership[Symbol.asyncDispose]();
  assert.deepEqual(errors, []);
  assert.deepEqual(await registry.peers(), []);
  assert.equal(await registry.renew(first, 1_000), false, "a node that left cannot renew");
});

test("NodeMembership keeps renewing while a sweep is still failing over a dead node", async () => {
  await using t = await twoNodes();
  let release = () => {};
  const gate = new Promise<void>((resolve) => release = resolve);
  let sweeps = 0;
  // A sweep that takes as long as the test wants: a failover of thousands of jobs.
  class SlowSweeps extends NodeRegistry {
    override async expire(): Promise<NodeLease[]> {
      sweeps++;
      await gate;
      return await super.expire();
    }
  }
  const registry = new SlowSweeps(t.a.sql, { leaseSql: t.a.leaseSql });
  const late: number[] = [];
  const membership = await NodeMembership.join({
    registry,
    store: t.a,
    address: "a:5559",
    policy: adoptNone,
    leaseMs: 60_000,
    renewMs: 20,
    onLate: (ms) => late.push(ms),
  });
  membership.run();
  const leaseUntil = async () => (await registry.peers())[0]?.leaseUntilMs ?? 0;
  while (sweeps === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  const during = await leaseUntil();
  let latest = during;
  for (let tries = 0; latest <= during && tries < 500; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    latest = await leaseUntil();
  }
  assert.ok(latest > during, "the lease was renewed while the sweep hung");
  assert.equal(sweeps, 1, "sweeps do not pile up");
  release();
  await membership[Symbol.asyncDispose]();
  assert.deepEqual(late, [], "no renewal came after the lease ran out");
});

test("NodeMembership reports a renewal that came after the lease had run out, and keeps it", async () => {
  await using t = await twoNodes();
  const registry = new NodeRegistry(t.a.sql);
  const late: number[] = [];
  const lost: string[] = [];
  const membership = await NodeMembership.join({
    registry,
    store: t.a,
    address: "a:5559",
    policy: adoptNone,
    leaseMs: 300,
    onLate: (ms) => late.push(ms),
    onLost: (lease) => lost.push(lease.id),
  });
  // Held back past its lease (a stalled event loop), with no peer there to claim it.
  await new Promise((resolve) => setTimeout(resolve, 400));
  assert.equal(await membership.renew(), true);
  assert.equal(late.length, 1);
  assert.ok(late[0]! >= 50, `late by ${late[0]} ms`);
  assert.deepEqual(lost, []);
  assert.deepEqual((await registry.peers()).map((n) => n.id), ["node-a"]);
  await membership[Symbol.asyncDispose]();
});
