import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import type { Job } from "../../sdk/mod.ts";
import { JobStore } from "./job_store.ts";

const META = { instanceKey: "shared", plugin: "local" };

async function withStore(body: (store: JobStore, path: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "job_store_group_" });
  const path = `${dir}/jobs.sqlite`;
  const store = JobStore.open(path, { expiryHours: 24, groupCommit: true });
  try {
    await body(store, path);
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
}

/** How many jobs another connection sees committed in the file. */
function committedCount(path: string): number {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return (db.prepare("SELECT count(*) AS n FROM jobs").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

Deno.test("Group commit writes one turn's inserts and updates in one commit, visible after committed()", async () => {
  await withStore(async (store, path) => {
    const jobs = Array.from(
      { length: 5 },
      () => store.insert({ user: "a", status: "Pending" }, META),
    );
    store.update(jobs[0]!.id, { status: "Running" });
    assert.equal(store.get(jobs[0]!.id)?.job.status, "Running", "the writer reads its own writes");
    assert.equal(committedCount(path), 0, "nothing is committed within the turn");
    await store.committed();
    assert.equal(committedCount(path), 5);
    assert.deepEqual(jobs.map((job) => job.id), ["1", "2", "3", "4", "5"]);
    await store.committed(); // nothing open: settles at once
  });
});

Deno.test("Group commit tells subscribers of changes only after their commit", async () => {
  await withStore(async (store) => {
    const heard: string[] = [];
    store.subscribe((job: Job) => heard.push(`${job.id} ${job.status}`));
    const job = store.insert({ user: "a", status: "Pending" }, META);
    store.update(job.id, { status: "Running" });
    assert.deepEqual(heard, []);
    await store.committed();
    assert.deepEqual(heard, ["1 Pending", "1 Running"]);
  });
});

Deno.test("Group commit keeps a failed insert out of the batch and the rest in", async () => {
  await withStore(async (store, path) => {
    store.insert({ user: "a", status: "Pending" }, { ...META, idempotencyKey: "k" });
    assert.throws(
      () => store.insert({ user: "a", status: "Pending" }, { ...META, idempotencyKey: "k" }),
      /idempotency key "k" of user "a" already belongs to job "1"/,
    );
    store.insert({ user: "b", status: "Pending" }, META);
    await store.committed();
    assert.equal(committedCount(path), 2);
  });
});

Deno.test("Group commit commits what is open when the store closes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "job_store_group_" });
  const path = `${dir}/jobs.sqlite`;
  const store = JobStore.open(path, { expiryHours: 24, groupCommit: true });
  store.insert({ user: "a", status: "Pending" }, META);
  store.close();
  assert.equal(committedCount(path), 1);
  await Deno.remove(dir, { recursive: true });
});
