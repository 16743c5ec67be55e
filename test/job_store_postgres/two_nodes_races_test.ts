import assert from "node:assert/strict";
import postgres from "postgres";
import { channelOf } from "../../src/host/job_store/postgres/_connect.ts";
import { PostgresJobStore } from "../../src/host/job_store/postgres/mod.ts";
import { freshSchema } from "../_support/postgres.ts";
import { waitUntil } from "../_support/wait.ts";
import { draft, META, test, twoNodes } from "./_two_nodes.ts";

test("Two nodes racing on one idempotency key make one job; the other is told which", async () => {
  await using t = await twoNodes();
  const key = { ...META, idempotencyKey: "same" };
  const results = await Promise.allSettled([t.a.insert(draft(), key), t.b.insert(draft(), key)]);
  const made = results.filter((r) => r.status === "fulfilled");
  const refused = results.filter((r) => r.status === "rejected");
  assert.equal(made.length, 1);
  assert.equal(refused.length, 1);
  const id = (made[0] as PromiseFulfilledResult<{ id: string }>).value.id;
  assert.match(
    String((refused[0] as PromiseRejectedResult).reason),
    new RegExp(`idempotency key "same" of user "alice" already belongs to job "${id}"`),
  );
  assert.equal((await t.b.list("*")).length, 1);
});

test("Concurrent updates of one job from two nodes lose nothing and end terminal", async () => {
  await using t = await twoNodes();
  const heard: string[] = [];
  t.b.subscribe((seen) => heard.push(seen.statusMessage ?? ""));
  const job = await t.a.insert(draft({ status: "Running" }), META);
  await Promise.all(
    Array.from(
      { length: 20 },
      (_, i) =>
        (i % 2 ? t.a : t.b).update(job.id, { statusMessage: `m${i}`, metadata: { [`k${i}`]: i } }),
    ),
  );
  const merged = (await t.a.get(job.id))!.job.metadata as Record<string, number>;
  assert.equal(Object.keys(merged).length, 1, "metadata is replaced, as in SQLite");
  await waitUntil(() => heard.length === 21);
  assert.deepEqual(heard.slice(1).sort(), Array.from({ length: 20 }, (_, i) => `m${i}`).sort());
  const [finished, suspended] = await Promise.all([
    t.a.update(job.id, { status: "Finished" }),
    t.b.update(job.id, { status: "Suspended" }),
  ]);
  // Whichever commits first, Finished sticks: Suspended after it is refused.
  assert.equal(finished?.changed, true);
  if (suspended?.rejected) assert.match(suspended.rejected, /from Finished to Suspended/);
  else assert.equal(suspended?.changed, true);
  assert.equal((await t.a.get(job.id))!.job.status, "Finished");
});

test("Foreign or forged notifications are reported or ignored and the feed goes on", async () => {
  await using t = await twoNodes();
  const heardRemovals: string[] = [];
  t.b.subscribeRemovals((removed) => heardRemovals.push(removed.job.id));
  const heard: string[] = [];
  t.b.subscribe((job) => heard.push(`${job.id}:${job.status}`));
  const real = await t.a.insert(draft({ status: "Running" }), META);
  const sql = postgres(t.url, { max: 1, onnotice: () => {} });
  try {
    await sql`SELECT pg_notify(${channelOf(t.schema)}, 'not json'),
      pg_notify(${channelOf(t.schema)}, '{"j": "1", "c": 1}')`;
    // Well-formed but forged: any role that can connect may NOTIFY. The feed reads changes
    // and removals from the store's tables, so these name nothing it delivers.
    const fake = JSON.stringify({ id: real.id, user: "alice", status: "Killed" });
    const m = btoa("x".repeat(32));
    const change = JSON.stringify({ j: Number(real.id), c: 2, b: fake, m });
    const removal = JSON.stringify({ r: Number(real.id), i: "shared", p: "local", b: fake });
    await sql`SELECT pg_notify(${channelOf(t.schema)}, ${change}),
      pg_notify(${channelOf(t.schema)}, ${removal})`;
  } finally {
    await sql.end({ timeout: 1 });
  }
  const job = await t.a.insert(draft(), META);
  await waitUntil(() => heard.length === 2);
  assert.deepEqual(
    heard,
    [`${real.id}:Running`, `${job.id}:Pending`],
    "the forged change was not delivered",
  );
  assert.deepEqual(heardRemovals, [], "the forged removal was not delivered");
  assert.equal((await t.b.get(real.id))!.job.status, "Running");
  await waitUntil(() => t.errors.length >= 4);
  for (const error of t.errors) assert.match(String(error), /Cannot read job notification/);
});

test("A node whose read of a change fails tries again and still delivers it", async () => {
  await using t = await twoNodes();
  const role = freshSchema();
  const admin = postgres(t.url, { max: 1, onnotice: () => {} });
  const on = `ALL TABLES IN SCHEMA ${t.schema}`;
  await admin.unsafe(`CREATE ROLE ${role} LOGIN PASSWORD '${role}'`);
  await admin.unsafe(`GRANT USAGE ON SCHEMA ${t.schema} TO ${role}`);
  await admin.unsafe(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${on} TO ${role}`);
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
    c.subscribe((job) => heard.push(job.status ?? ""));
    const job = await t.a.insert(draft(), META);
    await waitUntil(() => heard.length === 1);
    await admin.unsafe(`REVOKE SELECT ON ${t.schema}.job_changes FROM ${role}`);
    await t.a.update(job.id, { status: "Running" });
    // Node C's read is refused now; give it back before its retries run out.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await admin.unsafe(`GRANT SELECT ON ${t.schema}.job_changes TO ${role}`);
    await waitUntil(() => heard.length === 2, 10_000);
    assert.deepEqual(heard, ["Pending", "Running"]);
  } finally {
    await c.close();
    await admin.unsafe(`DROP OWNED BY ${role}`);
    await admin.unsafe(`DROP ROLE ${role}`);
    await admin.end({ timeout: 1 });
  }
});
