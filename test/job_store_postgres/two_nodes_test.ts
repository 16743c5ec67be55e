import assert from "node:assert/strict";
import postgres from "postgres";
import type { JobFilter } from "../../src/sdk/mod.ts";
import { PostgresJobStore } from "../../src/host/job_store/postgres/mod.ts";
import { freshSchema } from "../_support/postgres.ts";
import { draft, META, test, twoNodes } from "./_two_nodes.ts";
import { waitUntil } from "../_support/wait.ts";

test("Two PostgresJobStore nodes give identical answers and unique IDs", async () => {
  await using t = await twoNodes();
  const made = await Promise.all(
    Array.from(
      { length: 20 },
      (_, i) =>
        (i % 2 ? t.a : t.b).insert(
          draft({ tags: [`t${i % 3}`], user: i % 4 ? "alice" : "bob" }),
          META,
        ),
    ),
  );
  assert.equal(new Set(made.map((job) => job.id)).size, 20);
  await t.b.update(made[0]!.id, { status: "Running" });
  const listings: [string, JobFilter, string[]?][] = [
    ["*", {}],
    ["bob", {}],
    ["alice", { tags: ["t1"] }, ["status"]],
  ];
  for (const [user, filter, fields] of listings) {
    assert.deepEqual(await t.a.list(user, filter, fields), await t.b.list(user, filter, fields));
  }
  assert.deepEqual(await t.a.getVisible("*", made[0]!.id), await t.b.getVisible("*", made[0]!.id));
  assert.equal((await t.a.get(made[0]!.id))?.job.status, "Running");
  assert.deepEqual(await t.a.countByStatus(), await t.b.countByStatus());
  const owners = new Set(await Promise.all(made.map(async (job) => (await t.a.get(job.id))!.node)));
  assert.deepEqual([...owners].sort(), ["node-a", "node-b"]);
});

test("A status listener on node B hears node A's changes in order, once each, any size", async () => {
  await using t = await twoNodes();
  const heard: string[] = [];
  t.b.subscribe((job) => heard.push(`${job.id}:${job.status}:${job.statusMessage ?? ""}`));
  const job = await t.a.insert(draft(), META);
  const expected = [`${job.id}:Pending:`];
  for (let i = 0; i < 30; i++) {
    await t.a.update(job.id, { status: "Running", statusMessage: `step ${i}` });
    expected.push(`${job.id}:Running:step ${i}`);
  }
  // A body too large to travel in the notification is fetched from job_changes.
  const big = "x".repeat(20_000);
  await t.a.update(job.id, { status: "Running", statusMessage: big });
  expected.push(`${job.id}:Running:${big}`);
  // Small as a body, but every quote is escaped twice in the payload: too large to carry.
  const quotes = '"'.repeat(3_000);
  await t.a.update(job.id, { status: "Finished", statusMessage: quotes });
  expected.push(`${job.id}:Finished:${quotes}`);
  await waitUntil(() => heard.length >= expected.length);
  assert.deepEqual(heard, expected);
});

test("A node whose listen connection dropped catches up on the changes it missed", async () => {
  await using t = await twoNodes();
  // Node C connects as a role of its own, so the test can cut it off and keep it out.
  const role = freshSchema();
  const admin = postgres(t.url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE ROLE ${role} LOGIN SUPERUSER PASSWORD '${role}'`);
  const url = new URL(t.url);
  [url.username, url.password] = [role, role];
  const c = await PostgresJobStore.open({
    url: url.href,
    schema: t.schema,
    nodeId: "node-c",
    expiryHours: 1,
  });
  try {
    const heard: string[] = [];
    c.subscribe((job) => heard.push(`${job.status}:${job.statusMessage ?? ""}`));
    const job = await t.a.insert(draft(), META);
    await waitUntil(() => heard.length === 1);
    await admin.unsafe(`ALTER ROLE ${role} NOLOGIN`);
    await admin`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = ${role}`;
    for (let i = 0; i < 5; i++) await t.a.update(job.id, { statusMessage: `while away ${i}` });
    await admin.unsafe(`ALTER ROLE ${role} LOGIN`);
    await waitUntil(() => heard.length >= 6, 30_000);
    assert.deepEqual(heard, [
      "Pending:",
      ...Array.from({ length: 5 }, (_, i) => `Pending:while away ${i}`),
    ]);
  } finally {
    await c.close();
    await admin.unsafe(`DROP ROLE ${role}`);
    await admin.end({ timeout: 1 });
  }
});

test("Both nodes see a removal by either, and expire removes each job once", async () => {
  await using t = await twoNodes();
  const removedOnA: string[] = [];
  const removedOnB: string[] = [];
  t.a.subscribeRemovals((r) => removedOnA.push(r.job.id));
  t.b.subscribeRemovals((r) => removedOnB.push(r.job.id));
  const job = await t.a.insert(draft(), META);
  assert.equal(await t.b.remove(job.id), true);
  assert.equal(await t.a.remove(job.id), false);
  await waitUntil(() => removedOnA.length === 1);
  assert.deepEqual([removedOnA, removedOnB], [[job.id], [job.id]]);
  assert.equal(await t.a.get(job.id), undefined);
});
