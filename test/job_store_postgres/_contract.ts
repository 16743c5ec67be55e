import assert from "node:assert/strict";
import type { Job } from "../../src/sdk/mod.ts";
import type { JobMeta, StoredJob } from "../../src/host/job_store/mod.ts";
import type { AsyncJobStore } from "../../src/host/job_store/store_interface.ts";

/** What a contract test is given: a store and the clock it stamps times with. */
export interface StoreFixture extends AsyncDisposable {
  store: AsyncJobStore;
  advance(byMs: number): void;
  errors: unknown[];
}

/** Opens a fresh, empty store with `expiryHours` and a fake clock at 2024-05-01T12:00Z. */
export type OpenStore = (expiryHours: number) => Promise<StoreFixture>;

const HOUR = 3_600_000;
const META: JobMeta = { instanceKey: "shared", plugin: "local" };

function draft(fields: Partial<Job> = {}): Omit<Job, "id"> {
  return { user: "alice", status: "Pending", submissionTime: "2024-05-01T12:00:00Z", ...fields };
}

/** A fake clock for a fixture. */
export function fakeClock(start = Date.parse("2024-05-01T12:00:00.000Z")) {
  let ms = start;
  return { now: () => new Date(ms), advance: (byMs: number) => void (ms += byMs) };
}

type Case = [name: string, fn: (t: StoreFixture) => Promise<void>];

const ids = (jobs: Job[]) => jobs.map((job) => job.id);

const CASES: Case[] = [
  ["insert assigns increasing IDs, keeps every field, never reuses a deleted ID", async (t) => {
    const extra = { ...draft({ tags: ["a"] }), extra: { n: [1] } };
    const first = await t.store.insert(extra, META);
    const second = await t.store.insert(draft(), META);
    assert.deepEqual([first.id, second.id], ["1", "2"]);
    const stored = (await t.store.get("1"))!.job as Job & { extra?: unknown };
    assert.deepEqual([stored.extra, stored.tags], [{ n: [1] }, ["a"]]);
    assert.equal(await t.store.remove(second.id), true);
    assert.equal((await t.store.insert(draft(), META)).id, "3");
  }],
  ["insert stores times as UTC strings with Z and refuses bad drafts", async (t) => {
    const job = await t.store.insert(
      draft({ submissionTime: "2024-05-01T17:30:00.1+05:30" }),
      META,
    );
    assert.equal(job.submissionTime, "2024-05-01T12:00:00.100Z");
    assert.equal((await t.store.get(job.id))!.job.lastUpdateTime, "2024-05-01T12:00:00.100Z");
    await assert.rejects(t.store.insert(draft({ user: "*" }), META), /"user" must name/);
    await assert.rejects(t.store.insert(draft({ submissionTime: "yesterday" }), META), RangeError);
    const noPlugin = { instanceKey: "shared" } as JobMeta;
    await assert.rejects(t.store.insert(draft(), noPlugin), /meta "plugin" must be/);
    assert.deepEqual(ids(await t.store.list("*")), [job.id]);
  }],
  ["idempotency keys are per user and a reuse is refused naming the job", async (t) => {
    const job = await t.store.insert(draft(), { ...META, idempotencyKey: "k1" });
    assert.equal((await t.store.findByIdempotencyKey("alice", "k1"))?.id, job.id);
    assert.equal(await t.store.findByIdempotencyKey("bob", "k1"), undefined);
    await t.store.insert(draft({ user: "bob" }), { ...META, idempotencyKey: "k1" });
    await assert.rejects(
      t.store.insert(draft(), { ...META, idempotencyKey: "k1" }),
      /idempotency key "k1" of user "alice" already belongs to job "1"/,
    );
  }],
  ["get names the owner; getVisible hides other users' jobs and picks fields", async (t) => {
    const job = await t.store.insert(draft({ name: "n" }), { instanceKey: "t/a", plugin: "slurm" });
    const stored = await t.store.get(job.id);
    assert.deepEqual([stored?.instanceKey, stored?.plugin], ["t/a", "slurm"]);
    for (const id of ["0", "01", "abc", "*", "99", ""]) {
      assert.equal(await t.store.get(id), undefined);
    }
    assert.equal(await t.store.getVisible("bob", job.id), undefined);
    assert.equal((await t.store.getVisible("*", job.id))?.id, job.id);
    assert.deepEqual(await t.store.getVisible("alice", job.id, ["name"]), { id: "1", name: "n" });
  }],
  [
    "list filters: tags with AND, statuses with OR, inclusive time bounds, user scope",
    async (t) => {
      await t.store.insert(draft({ tags: ["x"], submissionTime: "2024-05-01T10:00:00Z" }), META);
      await t.store.insert(draft({ tags: ["x", "y"], status: "Running" }), META);
      await t.store.insert(draft({ tags: ["y", "x"], user: "bob", status: "Finished" }), META);
      await t.store.insert(draft({ tags: ["y"], submissionTime: "2024-05-01T13:00:00Z" }), META);
      assert.deepEqual(ids(await t.store.list("*", { tags: ["x", "y"] })), ["2", "3"]);
      assert.deepEqual(ids(await t.store.list("*", { tags: ["x", "nope"] })), []);
      assert.deepEqual(ids(await t.store.list("*", { statuses: ["Running", "Finished"] })), [
        "2",
        "3",
      ]);
      const bounds = {
        startTime: new Date("2024-05-01T10:00:00Z"),
        endTime: new Date("2024-05-01T12:00:00Z"),
      };
      assert.deepEqual(ids(await t.store.list("*", bounds)), ["1", "2", "3"]);
      assert.deepEqual(ids(await t.store.list("bob", { tags: ["x"] })), ["3"]);
      assert.deepEqual(ids(await t.store.list("carol")), []);
      await assert.rejects(t.store.list("*", { startTime: new Date("nope") }), RangeError);
    },
  ],
  ["list orders by numeric ID and keeps only the requested fields", async (t) => {
    for (let i = 0; i < 12; i++) await t.store.insert(draft({ tags: ["all"] }), META);
    const expected = Array.from({ length: 12 }, (_, i) => String(i + 1));
    assert.deepEqual(ids(await t.store.list("*", { tags: ["all"] })), expected);
    const picked = await t.store.list("*", { statuses: ["Pending"] }, ["status", "missing"]);
    assert.deepEqual(picked[0], { id: "1", status: "Pending" });
  }],
  ["listByInstance, liveJobs and countByStatus select by owner and status", async (t) => {
    await t.store.insert(draft({ status: "Running" }), { instanceKey: "a", plugin: "p" });
    await t.store.insert(draft({ status: "Finished" }), { instanceKey: "a", plugin: "p" });
    await t.store.insert(draft({ status: "Suspended", tags: ["t"] }), {
      instanceKey: "b",
      plugin: "p",
    });
    await t.store.insert(draft({ status: "Canceled" }), { instanceKey: "b", plugin: "p" });
    assert.deepEqual(ids(await t.store.listByInstance("a")), ["1", "2"]);
    assert.deepEqual(ids(await t.store.listByInstance("b", { tags: ["t"] })), ["3"]);
    assert.deepEqual(ids(await t.store.liveJobs()), ["1", "3"]);
    assert.deepEqual(ids(await t.store.liveJobs("b")), ["3"]);
    const counts = await t.store.countByStatus();
    assert.deepEqual(counts, {
      Pending: 0,
      Running: 1,
      Suspended: 1,
      Finished: 1,
      Failed: 0,
      Killed: 0,
      Canceled: 1,
    });
  }],
  [
    "update merges allowed fields, stamps lastUpdateTime, never changes a terminal status",
    async (t) => {
      const job = await t.store.insert(draft(), META);
      t.advance(5_000);
      const change = { status: "Running", pid: 42, user: "mallory" } as Job;
      assert.equal((await t.store.update(job.id, change))?.changed, true);
      const stored = (await t.store.get(job.id))!.job;
      assert.deepEqual([stored.status, stored.pid, stored.user], ["Running", 42, "alice"]);
      assert.equal(stored.lastUpdateTime, "2024-05-01T12:00:05.000Z");
      await t.store.update(job.id, { status: "Finished" });
      const back = await t.store.update(job.id, { status: "Running", statusMessage: "again" });
      assert.match(back?.rejected ?? "", /Cannot move job "1" from Finished to Running/);
      assert.equal((await t.store.get(job.id))!.job.status, "Finished");
      await assert.rejects(
        t.store.update(job.id, { exitCode: "0" } as never),
        /"exitCode" must be/,
      );
      assert.equal(await t.store.update("9", { status: "Running" }), undefined);
      assert.equal((await t.store.update(job.id, { status: "Finished" }))?.changed, false);
    },
  ],
  ["subscribers hear new jobs and status or message changes only, frozen, in order", async (t) => {
    const seen: Job[] = [];
    const unsubscribe = t.store.subscribe((job) => seen.push(job));
    const job = await t.store.insert(draft(), META);
    await t.store.update(job.id, { pid: 7 });
    await t.store.update(job.id, { status: "Running" });
    await t.store.update(job.id, { statusMessage: "warming up" });
    await t.store.update(job.id, { statusMessage: "warming up" });
    assert.deepEqual(seen.map((j) => [j.id, j.status, j.statusMessage]), [
      ["1", "Pending", undefined],
      ["1", "Running", undefined],
      ["1", "Running", "warming up"],
    ]);
    assert.ok(Object.isFrozen(seen[0]));
    unsubscribe();
    await t.store.update(job.id, { status: "Finished" });
    assert.equal(seen.length, 3);
  }],
  ["remove and expire delete jobs and tell removal listeners", async (t) => {
    const removed: StoredJob[] = [];
    t.store.subscribeRemovals((stored) => removed.push(stored));
    const gone = await t.store.insert(draft({ tags: ["t"] }), META);
    assert.equal(await t.store.remove(gone.id), true);
    assert.equal(await t.store.remove(gone.id), false);
    assert.deepEqual(await t.store.list("*", { tags: ["t"] }), []);
    const old = await t.store.insert(draft({ status: "Finished" }), META);
    const running = await t.store.insert(draft({ status: "Running" }), META);
    t.advance(HOUR);
    await t.store.update(running.id, { status: "Killed" });
    t.advance(HOUR + 1);
    assert.deepEqual(await t.store.expire(), [old.id]);
    t.advance(HOUR);
    assert.deepEqual(await t.store.expire(), [running.id]);
    assert.deepEqual(removed.map((r) => [r.job.id, r.instanceKey]), [
      [gone.id, "shared"],
      [old.id, "shared"],
      [running.id, "shared"],
    ]);
  }],
];

/** Registers the store contract: the SQLite store's behaviours, for any `AsyncJobStore`. */
export function storeContract(label: string, skip: string | undefined, open: OpenStore): void {
  for (const [name, fn] of CASES) {
    Deno.test({
      name: `${label}: ${name}${skip ? ` (skipped: ${skip})` : ""}`,
      ignore: skip !== undefined,
      async fn() {
        await using t = await open(2);
        await fn(t);
        assert.deepEqual(t.errors, []);
      },
    });
  }
}
