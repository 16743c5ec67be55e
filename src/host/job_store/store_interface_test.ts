import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { JobStore } from "./job_store.ts";
import { asyncJobStore } from "./store_interface.ts";

const META = { instanceKey: "shared", plugin: "inmemory" };

/** The status another connection sees committed for job `id` (what survives a SIGKILL). */
function statusOnDisk(path: string, id: string): string | undefined {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const row = db.prepare("SELECT status FROM jobs WHERE seq = ?").get(Number(id));
    return (row as { status: string } | undefined)?.status;
  } finally {
    db.close();
  }
}

async function withFileStore(body: (path: string, store: JobStore) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "store_interface_" });
  const path = `${dir}/jobs.sqlite`;
  const store = JobStore.open(path, { expiryHours: 24, groupCommit: true });
  try {
    await body(path, store);
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("asyncJobStore answers GetJob only with a version already committed", async () => {
  await withFileStore(async (path, sync) => {
    const store = asyncJobStore(sync);
    const { id } = await store.insert({ user: "a", status: "Pending" }, META);
    const writing = store.update(id, { status: "Running" });
    // Checked the moment the read answers: a host killed then must still have that version.
    const seen = await store.getVisible("a", id).then((job) => ({
      shown: job?.status,
      onDisk: statusOnDisk(path, id),
    }));
    assert.deepEqual(seen, { shown: "Running", onDisk: "Running" });
    await writing;
  });
});

Deno.test("asyncJobStore lists and finds only committed jobs", async () => {
  await withFileStore(async (path, sync) => {
    const store = asyncJobStore(sync);
    const inserting = store.insert({ user: "a", status: "Pending" }, {
      ...META,
      idempotencyKey: "k",
    });
    const listed = await store.list("a").then((jobs) =>
      jobs.map((job) => statusOnDisk(path, job.id))
    );
    assert.deepEqual(listed, ["Pending"], "the job listed is on disk");
    const found = await store.findByIdempotencyKey("a", "k");
    assert.equal(found?.id, (await inserting).id);
  });
});

Deno.test("asyncJobStore reads at once when no write waits for its commit", async () => {
  await withFileStore(async (_path, sync) => {
    const store = asyncJobStore(sync);
    const { id } = await store.insert({ user: "a", status: "Pending" }, META);
    let answered = false;
    const reading = store.get(id).then(() => answered = true);
    await Promise.resolve();
    await Promise.resolve();
    assert.ok(answered, "answered within the same turn");
    await reading;
  });
});

Deno.test("asyncJobStore peeks a job at once only when no write waits for its commit", async () => {
  await withFileStore(async (path, sync) => {
    const store = asyncJobStore(sync);
    const { id } = await store.insert({ user: "a", status: "Pending" }, META);
    assert.equal(store.peekVisible!("a", id)?.status, "Pending", "nothing uncommitted: answered");
    assert.equal(store.peekVisible!("b", id), undefined, "another user's job is not shown");
    const writing = store.update(id, { status: "Running" });
    assert.equal(store.peekVisible!("a", id), null, "a write waits: GetJob takes the slow path");
    await writing;
    const shown = store.peekVisible!("a", id);
    assert.deepEqual([shown?.status, statusOnDisk(path, id)], ["Running", "Running"]);
  });
});
