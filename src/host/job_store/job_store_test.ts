import assert from "node:assert/strict";
import type { Job } from "../../sdk/mod.ts";
import { type JobMeta, JobStore, type JobStoreOptions } from "./job_store.ts";

const T0 = Date.parse("2024-05-01T12:00:00.000Z");
const META: JobMeta = { instanceKey: "shared", plugin: "local" };

function fakeClock(start = T0) {
  let ms = start;
  return {
    now: () => new Date(ms),
    advance(byMs: number) {
      ms += byMs;
    },
  };
}

function openStore(options: Partial<JobStoreOptions> = {}): JobStore {
  return JobStore.open(":memory:", { expiryHours: 24, clock: fakeClock(), ...options });
}

function draft(fields: Partial<Job> = {}): Omit<Job, "id"> {
  return {
    user: "alice",
    status: "Pending",
    submissionTime: "2024-05-01T12:00:00Z",
    command: "echo hi",
    ...fields,
  };
}

Deno.test("JobStore.insert assigns increasing numeric IDs and keeps every field", () => {
  using store = openStore();
  const extra = { ...draft({ tags: ["a"] }), futureField: { nested: [1, 2] } };
  const first = store.insert(extra, META);
  const second = store.insert(draft(), META);
  assert.equal(first.id, "1");
  assert.equal(second.id, "2");
  const stored = store.get("1")!.job as Job & { futureField?: unknown };
  assert.deepEqual(stored.futureField, { nested: [1, 2] });
  assert.deepEqual(stored.tags, ["a"]);
  assert.equal(stored.command, "echo hi");
});

Deno.test("JobStore.insert never reuses the ID of a deleted job", () => {
  using store = openStore();
  store.insert(draft(), META);
  const last = store.insert(draft(), META);
  assert.equal(store.remove(last.id), true);
  assert.equal(store.insert(draft(), META).id, "3");
});

Deno.test("JobStore.insert stores times as UTC strings with Z from any RFC 3339 input", () => {
  using store = openStore();
  const offset = store.insert(draft({ submissionTime: "2024-05-01T17:30:00.123456+05:30" }), META);
  assert.equal(offset.submissionTime, "2024-05-01T12:00:00.123Z");
  assert.equal(offset.lastUpdateTime, "2024-05-01T12:00:00.123Z");
  const zoneless = store.insert(draft({ submissionTime: "2024-05-01T12:00:00" }), META);
  assert.equal(store.get(zoneless.id)!.job.submissionTime, "2024-05-01T12:00:00.000Z");
});

Deno.test("JobStore.insert refuses a draft without an owner, a status or a valid time", () => {
  using store = openStore();
  assert.throws(() => store.insert(draft({ user: "" }), META), TypeError);
  assert.throws(() => store.insert(draft({ user: "*" }), META), /"user" must name the owner/);
  const badStatus = { ...draft(), status: "running" } as unknown as Job;
  assert.throws(() => store.insert(badStatus, META), TypeError);
  assert.throws(
    () => store.insert(draft({ submissionTime: "yesterday" }), META),
    (error) => error instanceof RangeError && /"yesterday"/.test(error.message),
  );
  assert.deepEqual(store.list("*"), []);
});

Deno.test("JobStore.insert ignores a draft's own ID and requires an owning instance", () => {
  using store = openStore();
  const withId = { ...draft(), id: "42" } as Omit<Job, "id">;
  assert.equal(store.insert(withId, META).id, "1");
  assert.equal(store.get("42"), undefined);
  const noPlugin = { instanceKey: "shared" } as JobMeta;
  assert.throws(() => store.insert(draft(), noPlugin), /meta "plugin" must be a non-empty string/);
  assert.equal(store.list("*").length, 1);
});

Deno.test("JobStore.findByIdempotencyKey finds the job only for the user who submitted it", () => {
  using store = openStore();
  const job = store.insert(draft(), { ...META, idempotencyKey: "k1" });
  assert.equal(store.findByIdempotencyKey("alice", "k1")?.id, job.id);
  assert.equal(store.findByIdempotencyKey("bob", "k1"), undefined);
  assert.equal(store.findByIdempotencyKey("alice", "k2"), undefined);
  assert.equal(store.insert(draft({ user: "bob" }), { ...META, idempotencyKey: "k1" }).id, "2");
  assert.throws(
    () => store.insert(draft(), { ...META, idempotencyKey: "k1" }),
    /idempotency key "k1" of user "alice" already belongs to job "1"/,
  );
});

Deno.test("JobStore.get returns the owning instance and plugin whatever the user", () => {
  using store = openStore();
  const job = store.insert(draft({ user: "bob" }), { instanceKey: "t1/bob", plugin: "slurm" });
  const stored = store.get(job.id);
  assert.equal(stored?.instanceKey, "t1/bob");
  assert.equal(stored?.plugin, "slurm");
  for (const id of ["0", "01", "abc", "*", "1.0", "99", ""]) assert.equal(store.get(id), undefined);
});

Deno.test("JobStore.getVisible hides other users' jobs and shows every job to *", () => {
  using store = openStore();
  const job = store.insert(draft({ name: "n", tags: ["t"] }), META);
  assert.equal(store.getVisible("bob", job.id), undefined);
  assert.equal(store.getVisible("alice", job.id)?.id, job.id);
  assert.equal(store.getVisible("*", job.id)?.id, job.id);
  assert.deepEqual(store.getVisible("alice", job.id, ["name"]), { id: job.id, name: "n" });
});

Deno.test("JobStore.list applies tag filters with AND", () => {
  using store = openStore();
  store.insert(draft({ tags: ["x"] }), META);
  store.insert(draft({ tags: ["x", "y"] }), META);
  store.insert(draft({ tags: ["y", "z", "x"] }), META);
  store.insert(draft({ tags: ["y"] }), META);
  const ids = (tags: string[]) => store.list("*", { tags }).map((job) => job.id);
  assert.deepEqual(ids(["x", "y"]), ["2", "3"]);
  assert.deepEqual(ids(["x"]), ["1", "2", "3"]);
  assert.deepEqual(ids(["x", "y", "z"]), ["3"]);
  assert.deepEqual(ids(["x", "nope"]), []);
  assert.deepEqual(ids([]), ["1", "2", "3", "4"]);
});

Deno.test("JobStore.list applies status filters with OR", () => {
  using store = openStore();
  store.insert(draft({ status: "Pending" }), META);
  store.insert(draft({ status: "Running" }), META);
  store.insert(draft({ status: "Finished" }), META);
  const ids = store.list("*", { statuses: ["Running", "Finished"] }).map((job) => job.id);
  assert.deepEqual(ids, ["2", "3"]);
  assert.deepEqual(store.list("*", { statuses: ["Killed"] }), []);
});

Deno.test("JobStore.list bounds submissionTime inclusively at both ends", () => {
  using store = openStore();
  for (const hour of ["10", "11", "12", "13"]) {
    store.insert(draft({ submissionTime: `2024-05-01T${hour}:00:00Z` }), META);
  }
  const filter = {
    startTime: new Date("2024-05-01T11:00:00Z"),
    endTime: new Date("2024-05-01T12:00:00Z"),
  };
  assert.deepEqual(store.list("*", filter).map((job) => job.id), ["2", "3"]);
  assert.throws(() => store.list("*", { startTime: new Date("nope") }), RangeError);
});

Deno.test("JobStore.list shows a user only their own jobs before filtering", () => {
  using store = openStore();
  store.insert(draft({ user: "alice", tags: ["t"] }), META);
  store.insert(draft({ user: "bob", tags: ["t"] }), META);
  store.insert(draft({ user: "alice" }), META);
  assert.deepEqual(store.list("bob", { tags: ["t"] }).map((job) => job.id), ["2"]);
  assert.deepEqual(store.list("alice").map((job) => job.id), ["1", "3"]);
  assert.equal(store.list("*", { tags: ["t"] }).length, 2);
  assert.deepEqual(store.list("carol"), []);
});

Deno.test("JobStore.list orders jobs by numeric ID, not as text", () => {
  using store = openStore();
  for (let i = 0; i < 12; i++) store.insert(draft({ tags: ["all"] }), META);
  const expected = Array.from({ length: 12 }, (_, i) => String(i + 1));
  assert.deepEqual(store.list("*").map((job) => job.id), expected);
  assert.deepEqual(store.list("*", { tags: ["all"] }).map((job) => job.id), expected);
});

Deno.test("JobStore.list keeps only the requested fields and always the ID", () => {
  using store = openStore();
  store.insert(draft({ name: "n" }), META);
  assert.deepEqual(store.list("*", {}, ["status", "name", "missing"]), [
    { id: "1", status: "Pending", name: "n" },
  ]);
  assert.deepEqual(store.list("*", {}, []), [{ id: "1" }]);
});

Deno.test("JobStore.listByInstance and liveJobs select by owner and live status", () => {
  using store = openStore();
  store.insert(draft({ status: "Running" }), { instanceKey: "a", plugin: "p" });
  store.insert(draft({ status: "Finished" }), { instanceKey: "a", plugin: "p" });
  store.insert(draft({ status: "Suspended", tags: ["t"] }), { instanceKey: "b", plugin: "p" });
  store.insert(draft({ status: "Canceled" }), { instanceKey: "b", plugin: "p" });
  assert.deepEqual(store.listByInstance("a").map((job) => job.id), ["1", "2"]);
  assert.deepEqual(store.listByInstance("b", { tags: ["t"] }).map((job) => job.id), ["3"]);
  assert.deepEqual(store.liveJobs().map((job) => job.id), ["1", "3"]);
  assert.deepEqual(store.liveJobs("b").map((job) => job.id), ["3"]);
});

Deno.test("JobStore.countByStatus counts every status, zero when none", () => {
  using store = openStore();
  store.insert(draft({ status: "Running" }), META);
  store.insert(draft({ status: "Running" }), META);
  store.insert(draft({ status: "Failed" }), META);
  assert.deepEqual(store.countByStatus(), {
    Pending: 0,
    Running: 2,
    Suspended: 0,
    Finished: 0,
    Failed: 1,
    Killed: 0,
    Canceled: 0,
  });
});
