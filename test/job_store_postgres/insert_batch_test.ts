import assert from "node:assert/strict";
import type { Job } from "../../src/sdk/mod.ts";
import { draft, META, test, twoNodes } from "./_two_nodes.ts";

test("Concurrent submits on one node share transactions and keep every field, in order", async () => {
  await using t = await twoNodes();
  const heard: string[] = [];
  t.b.subscribe((job) => heard.push(job.id));
  const drafts = Array.from({ length: 40 }, (_, i) =>
    draft({
      name: `job ${i}`,
      tags: Array.from({ length: i % 4 }, (_, k) => `tag${k}`),
      ...(i === 7 ? { command: "x".repeat(20_000) } : {}),
    }));
  const jobs = await Promise.all(
    drafts.map((d, i) => t.a.insert(d, i % 3 ? META : { ...META, idempotencyKey: `key ${i}` })),
  );
  assert.deepEqual(
    jobs.map((job) => Number(job.id)),
    jobs.map((_, i) => Number(jobs[0]!.id) + i),
    "IDs follow arrival order",
  );
  const stored = await t.b.list("*");
  assert.deepEqual(stored, jobs, "what insert returned is what every node reads");
  assert.deepEqual((stored[3] as Job).tags, ["tag0", "tag1", "tag2"]);
  assert.equal((stored[7] as Job).command?.length, 20_000);
  assert.equal((await t.b.findByIdempotencyKey("alice", "key 3"))?.id, jobs[3]!.id);
  assert.deepEqual(await t.b.list("*", { tags: ["tag2"] }), jobs.filter((_, i) => i % 4 === 3));
  const [row] = await t.a.sql`SELECT count(DISTINCT xmin::text)::int AS transactions FROM jobs`;
  assert.ok(row!.transactions < jobs.length, `${row!.transactions} transactions for 40 jobs`);
  const deadline = Date.now() + 5_000;
  while (heard.length < 40 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(heard, jobs.map((job) => job.id), "node B heard every insert in order");
});

test("A batch with one idempotency key used twice fails only the second submit", async () => {
  await using t = await twoNodes();
  const key = { ...META, idempotencyKey: "twice" };
  const results = await Promise.allSettled([
    t.a.insert(draft({ name: "first" }), META),
    t.a.insert(draft({ name: "second" }), key),
    t.a.insert(draft({ name: "third" }), META),
    t.a.insert(draft({ name: "fourth" }), key),
    t.a.insert(draft({ name: "fifth" }), META),
  ]);
  const names = results.map((r) => r.status === "fulfilled" ? r.value.name : "refused");
  assert.deepEqual(names, ["first", "second", "third", "refused", "fifth"]);
  const refused = results[3] as PromiseRejectedResult;
  const owner = (await t.a.findByIdempotencyKey("alice", "twice"))!;
  assert.match(
    String(refused.reason),
    new RegExp(`idempotency key "twice" of user "alice" already belongs to job "${owner.id}"`),
  );
  assert.deepEqual((await t.b.list("*")).map((job) => job.name), [
    "first",
    "second",
    "third",
    "fifth",
  ]);
});
