import assert from "node:assert/strict";
import type { Job, JobUpdate } from "../../sdk/mod.ts";
import { type JobMeta, JobStore, type StoredJob } from "./job_store.ts";

const T0 = Date.parse("2024-05-01T12:00:00.000Z");
const HOUR = 3_600_000;
const META: JobMeta = { instanceKey: "shared", plugin: "local" };

function setup(expiryHours = 24) {
  let ms = T0;
  const clock = { now: () => new Date(ms) };
  const errors: unknown[] = [];
  const store = JobStore.open(":memory:", {
    expiryHours,
    clock,
    onListenerError: (error) => errors.push(error),
  });
  const seen: Job[] = [];
  store.subscribe((job) => seen.push(job));
  const advance = (byMs: number) => (ms += byMs);
  return { store, seen, errors, advance, [Symbol.dispose]: () => store.close() };
}

function draft(fields: Partial<Job> = {}): Omit<Job, "id"> {
  return { user: "alice", status: "Pending", submissionTime: "2024-05-01T12:00:00Z", ...fields };
}

Deno.test("JobStore.update merges allowed fields and stamps lastUpdateTime", () => {
  using t = setup();
  const job = t.store.insert(draft(), META);
  t.advance(5_000);
  const change = { status: "Running", pid: 42, user: "mallory", command: "rm" } as JobUpdate;
  const result = t.store.update(job.id, change);
  assert.equal(result?.changed, true);
  assert.equal(result?.rejected, undefined);
  const stored = t.store.get(job.id)!.job;
  assert.equal(stored.status, "Running");
  assert.equal(stored.pid, 42);
  assert.equal(stored.user, "alice");
  assert.equal(stored.command, undefined);
  assert.equal(stored.lastUpdateTime, "2024-05-01T12:00:05.000Z");
  assert.equal(stored.submissionTime, "2024-05-01T12:00:00.000Z");
  assert.deepEqual(t.store.list("*", { statuses: ["Running"] }).map((j) => j.id), [job.id]);
});

Deno.test("JobStore.update never lets a terminal status change", () => {
  using t = setup();
  const job = t.store.insert(draft({ status: "Finished", exitCode: 0 }), META);
  t.seen.length = 0;
  const result = t.store.update(job.id, { status: "Running", statusMessage: "again" });
  assert.equal(result?.changed, false);
  assert.match(result?.rejected ?? "", /Cannot move job "1" from Finished to Running/);
  const stored = t.store.get(job.id)!.job;
  assert.equal(stored.status, "Finished");
  assert.equal(stored.statusMessage, undefined);
  assert.deepEqual(t.seen, []);
  assert.equal(t.store.update(job.id, { status: "Finished", exitCode: 1 })?.changed, true);
});

Deno.test("JobStore.update notifies only when status or statusMessage changes", () => {
  using t = setup();
  const job = t.store.insert(draft(), META);
  t.seen.length = 0;
  t.store.update(job.id, { pid: 7, host: "node-1" });
  assert.equal(t.seen.length, 0);
  t.store.update(job.id, { status: "Running" });
  t.store.update(job.id, { status: "Running", statusMessage: "warming up" });
  t.store.update(job.id, { status: "Running", statusMessage: "warming up" });
  assert.deepEqual(t.seen.map((j) => [j.status, j.statusMessage]), [
    ["Running", undefined],
    ["Running", "warming up"],
  ]);
});

Deno.test("JobStore.update writes nothing for a change that changes nothing", () => {
  using t = setup();
  const job = t.store.insert(draft({ queues: ["q"], metadata: { a: 1 } }), META);
  t.advance(HOUR);
  const result = t.store.update(job.id, { status: "Pending", queues: ["q"], metadata: { a: 1 } });
  assert.equal(result?.changed, false);
  assert.equal(t.store.get(job.id)!.job.lastUpdateTime, "2024-05-01T12:00:00.000Z");
});

Deno.test("JobStore.update refuses a value of the wrong type, naming the field", () => {
  using t = setup();
  const job = t.store.insert(draft(), META);
  const bad = { exitCode: "0" } as unknown as JobUpdate;
  assert.throws(() => t.store.update(job.id, bad), /"exitCode" must be an integer, got "0"/);
  const badStatus = { status: "Done" } as unknown as JobUpdate;
  assert.throws(() => t.store.update(job.id, badStatus), TypeError);
  assert.equal(t.store.get(job.id)!.job.exitCode, undefined);
});

Deno.test("JobStore.update returns undefined for a job that does not exist", () => {
  using t = setup();
  assert.equal(t.store.update("9", { status: "Running" }), undefined);
  assert.equal(t.store.update("nope", { status: "Running" }), undefined);
});

Deno.test("JobStore.subscribe tells listeners about new jobs with the frozen stored version", () => {
  using t = setup();
  const submitted = draft({ tags: ["a"] });
  const job = t.store.insert(submitted, META);
  assert.equal(t.seen.length, 1);
  const seen = t.seen[0]!;
  assert.equal(seen, job, "the caller and the listeners share one version");
  assert.ok(Object.isFrozen(seen) && Object.isFrozen(seen.tags));
  assert.throws(() => (job as { name?: string }).name = "changed by caller", TypeError);
  submitted.tags!.push("changed in the draft");
  assert.deepEqual(seen.tags, ["a"], "the store copied the draft");
  assert.ok(!Object.isFrozen(submitted.tags), "and left the caller's objects alone");
});

Deno.test("JobStore.update copies the change it keeps and leaves it unfrozen", () => {
  using t = setup();
  const job = t.store.insert(draft(), META);
  const queues = ["fast"];
  const updated = t.store.update(job.id, { queues })!.job;
  queues.push("changed by caller");
  assert.deepEqual(updated.queues, ["fast"]);
  assert.ok(Object.isFrozen(updated.queues) && !Object.isFrozen(queues));
  assert.equal(t.store.get(job.id)?.job, updated, "reads get the version written");
});

Deno.test("JobStore.subscribe keeps notifying when one listener throws", () => {
  using t = setup();
  const boom = new Error("listener failed");
  t.store.subscribe(() => {
    throw boom;
  });
  const later: string[] = [];
  const unsubscribe = t.store.subscribe((job) => later.push(job.id));
  const job = t.store.insert(draft(), META);
  assert.equal(t.store.update(job.id, { status: "Running" })?.changed, true);
  assert.deepEqual(later, ["1", "1"]);
  assert.equal(t.seen.length, 2);
  assert.deepEqual(t.errors, [boom, boom]);
  unsubscribe();
  t.store.update(job.id, { status: "Finished" });
  assert.deepEqual(later, ["1", "1"]);
});

Deno.test("JobStore.remove deletes a job and tells removal listeners", () => {
  using t = setup();
  const removed: StoredJob[] = [];
  t.store.subscribeRemovals((stored) => removed.push(stored));
  const job = t.store.insert(draft({ tags: ["t"] }), META);
  assert.equal(t.store.remove(job.id), true);
  assert.equal(t.store.remove(job.id), false);
  assert.equal(t.store.get(job.id), undefined);
  assert.deepEqual(t.store.list("*", { tags: ["t"] }), []);
  assert.deepEqual(removed.map((r) => [r.job.id, r.instanceKey]), [[job.id, "shared"]]);
});

Deno.test("JobStore.expire removes only terminal jobs older than expiryHours", () => {
  using t = setup(2);
  const removed: string[] = [];
  t.store.subscribeRemovals((stored) => removed.push(stored.job.id));
  const old = t.store.insert(draft({ status: "Finished" }), META);
  const running = t.store.insert(draft({ status: "Running" }), META);
  const stale = t.store.insert(draft({ status: "Running" }), META);
  t.advance(HOUR);
  t.store.update(stale.id, { status: "Killed" });
  t.advance(HOUR + 1);
  assert.deepEqual(t.store.expire(), [old.id]);
  assert.deepEqual(removed, [old.id]);
  assert.ok(t.store.get(running.id) && t.store.get(stale.id));
  t.advance(HOUR);
  assert.deepEqual(t.store.expire(), [stale.id]);
  assert.deepEqual(t.store.list("*").map((j) => j.id), [running.id]);
});

Deno.test("JobStore.expire falls back to submissionTime when lastUpdateTime is absent", () => {
  using t = setup(1);
  const job = t.store.insert(
    draft({ status: "Canceled", submissionTime: "2024-05-01T10:00:00Z" }),
    META,
  );
  assert.equal(job.lastUpdateTime, "2024-05-01T10:00:00.000Z");
  assert.deepEqual(t.store.expire(), [job.id]);
});

Deno.test("JobStore.update of fields alone keeps the job found by its status", () => {
  using t = setup();
  const job = t.store.insert(draft(), META);
  t.store.update(job.id, { statusMessage: "Queued", queues: ["default"] });
  assert.deepEqual(t.store.list("*", { statuses: ["Pending"] }).map((each) => each.statusMessage), [
    "Queued",
  ]);
  t.store.update(job.id, { status: "Running" });
  assert.deepEqual(t.store.list("*", { statuses: ["Pending"] }), []);
  assert.equal(t.store.list("*", { statuses: ["Running"] })[0]?.queues?.[0], "default");
});
