import assert from "node:assert/strict";
import { NodeRegistry, PostgresJobStore } from "../../src/host/job_store/postgres/mod.ts";
import { dropSchema, freshSchema, privatePostgres } from "../_support/postgres.ts";
import { fakeClock } from "./_contract.ts";

const target = await privatePostgres();
const skip = "skip" in target ? target.skip : undefined;
const LEASE = 10_000;

/** A store (for its schema and pool) and two registries on it sharing one fake clock. */
async function cluster() {
  const url = (target as { url: string }).url;
  const schema = freshSchema();
  const store = await PostgresJobStore.open({ url, schema, nodeId: "n", expiryHours: 1 });
  const clock = fakeClock();
  const one = new NodeRegistry(store.sql, { clock });
  const two = new NodeRegistry(store.sql, { clock });
  return {
    one,
    two,
    clock,
    store,
    sql: store.sql,
    async [Symbol.asyncDispose]() {
      await store.close();
      await dropSchema(url, schema);
    },
  };
}

function test(name: string, fn: () => Promise<void>) {
  Deno.test({
    name: `${name}${skip ? ` (skipped: ${skip})` : ""}`,
    ignore: skip !== undefined,
    fn,
  });
}

test("NodeRegistry lists registered nodes as peers while their lease holds", async () => {
  await using t = await cluster();
  await t.one.register("b", "10.0.0.2:5559", LEASE);
  await t.one.register("a", "10.0.0.1:5559", LEASE);
  assert.deepEqual((await t.two.peers()).map((n) => [n.id, n.address, n.state]), [
    ["a", "10.0.0.1:5559", "alive"],
    ["b", "10.0.0.2:5559", "alive"],
  ]);
  t.clock.advance(LEASE);
  assert.deepEqual(await t.two.peers(), []);
});

test("NodeRegistry.renew keeps a lease and expire claims a dead node exactly once", async () => {
  await using t = await cluster();
  const a = await t.one.register("a", "a:1", LEASE);
  const b = await t.one.register("b", "b:1", LEASE);
  t.clock.advance(LEASE - 1);
  assert.equal(await t.one.renew(a, LEASE), true);
  t.clock.advance(1);
  const claims = await Promise.all([t.one.expire(), t.two.expire()]);
  assert.deepEqual(claims.flat().map((n) => [n.id, n.state]), [["b", "expired"]]);
  assert.equal(await t.two.renew(b, LEASE), false);
  assert.deepEqual((await t.one.peers()).map((n) => n.id), ["a"]);
});

test("A node that comes back registers as a new incarnation; the old one cannot renew", async () => {
  await using t = await cluster();
  const first = await t.one.register("a", "a:1", LEASE);
  t.clock.advance(LEASE);
  assert.equal((await t.two.expire()).length, 1);
  const again = await t.one.register("a", "a:2", LEASE);
  assert.equal(again.incarnation, first.incarnation + 1);
  assert.equal(await t.one.renew(first, LEASE), false);
  assert.equal(await t.one.renew(again, LEASE), true);
  await t.one.leave(again);
  assert.deepEqual(await t.one.peers(), []);
  t.clock.advance(2 * LEASE);
  assert.deepEqual(await t.two.expire(), [], "a node that left is not claimed as dead");
});

test("NodeRegistry refuses an empty node id and a lease that is not a positive integer", async () => {
  await using t = await cluster();
  await assert.rejects(t.one.register("", "a:1", LEASE), /node id must be a non-empty string/);
  await assert.rejects(t.one.register("a", "a:1", 0), /0 ms is not a positive integer/);
});

test("NodeRegistry without a clock takes lease times from the database clock", async () => {
  await using t = await cluster();
  const registry = new NodeRegistry(t.sql);
  const lease = await registry.register("a", "a:1", 60_000);
  const dbNow = Date.now();
  assert.ok(Math.abs(lease.leaseUntilMs - 60_000 - dbNow) < 60_000, "lease is near now + 60 s");
  assert.deepEqual((await registry.peers()).map((n) => n.id), ["a"]);
});

test("NodeRegistry.expire skips a node whose renewal is in flight; the renewal keeps it", async () => {
  await using t = await cluster();
  await t.one.register("a", "a:1", LEASE);
  t.clock.advance(LEASE + 1);
  let claimed: string[] | undefined;
  // A renewal in flight holds the node's row; the peer's sweep runs meanwhile.
  await t.sql.begin(async (tx) => {
    await tx`SELECT id FROM nodes WHERE id = 'a' FOR UPDATE`;
    claimed = (await t.two.expire()).map((n) => n.id);
    await tx`UPDATE nodes SET lease_until_ms = ${t.clock.now().getTime() + LEASE} WHERE id = 'a'`;
  });
  assert.deepEqual(claimed, [], "a node renewing at that moment is not claimed");
  assert.deepEqual(await t.two.expire(), [], "and once renewed its lease holds");
  assert.deepEqual((await t.two.peers()).map((n) => n.id), ["a"]);
});

test("NodeRegistry: a late renewal that no peer claimed first keeps the lease", async () => {
  await using t = await cluster();
  const lease = await t.one.register("a", "a:1", LEASE);
  t.clock.advance(3 * LEASE);
  assert.deepEqual(await t.two.peers(), [], "by the clock the lease ran out");
  assert.equal(await t.one.renew(lease, LEASE), true);
  assert.deepEqual(await t.two.expire(), []);
  assert.deepEqual((await t.two.peers()).map((n) => n.id), ["a"]);
});

test("NodeRegistry renews on its lease connection while every pooled connection is busy", async () => {
  await using t = await cluster();
  const { store } = t;
  const registry = new NodeRegistry(store.sql, { leaseSql: store.leaseSql });
  const lease = await registry.register("a", "a:1", LEASE);
  const order: string[] = [];
  // More long statements than the pool has connections: anything on the pool waits.
  const busy = Array.from(
    { length: 6 },
    () => store.sql`SELECT pg_sleep(1.5)`.then(() => order.push("job write")),
  );
  await new Promise((resolve) => setTimeout(resolve, 100));
  const renewed = registry.renew(lease, LEASE).then((held) => order.push(`renewed ${held}`));
  await Promise.all([...busy, renewed]);
  assert.equal(order[0], "renewed true", `the renewal queued behind job writes: ${order}`);
  const pooled = new NodeRegistry(store.sql);
  const behind = Array.from({ length: 4 }, () => store.sql`SELECT pg_sleep(0.5)`);
  await new Promise((resolve) => setTimeout(resolve, 100));
  const queued: string[] = [];
  await Promise.all([
    ...behind.map((q) => q.then(() => queued.push("job write"))),
    pooled.renew(lease, LEASE).then(() => queued.push("renewed")),
  ]);
  assert.equal(queued.at(-1), "renewed", "without it, a renewal waits for the pool (the bug)");
});

test("NodeRegistry without a clock expires a lease by the database clock", async () => {
  await using t = await cluster();
  const registry = new NodeRegistry(t.sql);
  await registry.register("a", "a:1", 300);
  assert.deepEqual(await registry.expire(), [], "the lease still holds");
  await t.sql`SELECT pg_sleep(0.4)`;
  assert.deepEqual((await registry.expire()).map((n) => n.id), ["a"]);
});
