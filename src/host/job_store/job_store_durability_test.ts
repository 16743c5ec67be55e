import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { JobStore } from "./job_store.ts";

const META = { instanceKey: "shared", plugin: "local" };
const FIXTURE = new URL("./_inserts_until_killed.ts", import.meta.url);

async function withTempDir(body: (dir: string) => Promise<void> | void): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "job_store_test_" });
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * Reads "inserted <id>" lines until `count` have arrived, then kills the child while it is
 * still inserting (before the pipe closes, so the child cannot fail on a write first).
 */
async function killAfterAcknowledged(child: Deno.ChildProcess, count: number) {
  const ids: string[] = [];
  let pending = "";
  try {
    for await (const text of child.stdout.pipeThrough(new TextDecoderStream())) {
      const lines = (pending + text).split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) ids.push(line.replace(/^inserted /, ""));
      if (ids.length >= count) {
        child.kill("SIGKILL");
        break;
      }
    }
  } finally {
    if (ids.length < count) child.kill("SIGKILL");
  }
  return ids;
}

Deno.test("JobStore keeps every job across a reopen without a clean close", async () => {
  await withTempDir((dir) => {
    const path = `${dir}/jobs.sqlite`;
    const first = JobStore.open(path, { expiryHours: 24 });
    first.insert({ user: "alice", status: "Pending", tags: ["x", "y"] }, META);
    const removed = first.insert({ user: "bob", status: "Running" }, META);
    first.remove(removed.id);
    first.update("1", { status: "Running", statusMessage: "started" });
    assert.ok(Deno.statSync(`${path}-wal`).isFile, "the store writes ahead to a WAL file");
    // `first` is left open, as a killed host would leave it.
    using second = JobStore.open(path, { expiryHours: 24 });
    const job = second.getVisible("alice", "1");
    assert.equal(job?.status, "Running");
    assert.equal(job?.statusMessage, "started");
    assert.deepEqual(second.list("*", { tags: ["y", "x"] }).map((j) => j.id), ["1"]);
    assert.equal(second.insert({ user: "bob", status: "Pending" }, META).id, "3");
    first.close();
  });
});

Deno.test("JobStore refuses a file whose schema is newer than it knows", async () => {
  await withTempDir((dir) => {
    const path = `${dir}/jobs.sqlite`;
    JobStore.open(path, { expiryHours: 24 }).close();
    const db = new DatabaseSync(path);
    db.exec("PRAGMA user_version = 99");
    db.close();
    assert.throws(
      () => JobStore.open(path, { expiryHours: 24 }),
      /Cannot open job store ".*jobs\.sqlite": schema version 99 is newer than supported version 2/,
    );
  });
});

Deno.test("JobStore.open refuses a negative or missing expiry", () => {
  assert.throws(() => JobStore.open(":memory:", { expiryHours: -1 }), RangeError);
  assert.throws(() => JobStore.open(":memory:", { expiryHours: NaN }), RangeError);
});

Deno.test("JobStore refuses use after close", () => {
  const store = JobStore.open(":memory:", { expiryHours: 24 });
  store.close();
  store.close();
  assert.throws(() => store.list("*"), /Cannot use job store ":memory:": it is closed/);
  assert.throws(() => store.get("1"), /it is closed/);
});

for (const mode of ["one commit per insert", "group commit"]) {
  Deno.test(`JobStore keeps every acknowledged job when the writer is SIGKILLed (${mode})`, async () => {
    await killedWriterKeepsAcknowledged(mode === "group commit" ? ["group"] : []);
  });
}

async function killedWriterKeepsAcknowledged(fixtureArgs: string[]): Promise<void> {
  await withTempDir(async (dir) => {
    const path = `${dir}/jobs.sqlite`;
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--no-prompt",
        "--allow-read",
        "--allow-write",
        FIXTURE.href,
        path,
        ...fixtureArgs,
      ],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const stderr = new Response(child.stderr).text();
    const acknowledged = await killAfterAcknowledged(child, 50);
    const status = await child.status;
    assert.equal(status.signal, "SIGKILL", await stderr);
    assert.ok(acknowledged.length >= 50, await stderr);
    using store = JobStore.open(path, { expiryHours: 24 });
    for (const [index, id] of acknowledged.entries()) {
      assert.equal(store.getVisible("alice", id)?.name, `job ${index + 1}`, `job ${id}`);
      assert.equal(store.findByIdempotencyKey("alice", `key-${index + 1}`)?.id, id);
    }
    const tagged = store.list("*", { tags: ["killed"] }).map((job) => job.id);
    assert.ok(tagged.length >= acknowledged.length);
  });
}
