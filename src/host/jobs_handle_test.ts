import assert from "node:assert/strict";
import { JsonLogger } from "../log/mod.ts";
import type { Job } from "../sdk/mod.ts";
import { JobStore } from "./job_store/mod.ts";
import { asyncJobStore } from "./job_store/store_interface.ts";
import { jobsHandleFor } from "./jobs_handle.ts";

/** A store holding jobs 1 and 3 of instance "a" and job 2 of instance "b". */
function setup() {
  const store = JobStore.open(":memory:", { expiryHours: 24 });
  const draft = (user: string, tags: string[]): Omit<Job, "id"> => ({
    user,
    status: "Pending",
    command: "true",
    tags,
  });
  store.insert(draft("alice", ["x"]), { instanceKey: "a", plugin: "local" });
  store.insert(draft("bob", ["x"]), { instanceKey: "b", plugin: "local" });
  store.insert(draft("alice", ["y"]), { instanceKey: "a", plugin: "local" });
  const lines: Record<string, unknown>[] = [];
  const log = new JsonLogger({ sinks: [{ writeLine: (line) => lines.push(JSON.parse(line)) }] });
  return { store, lines, handle: jobsHandleFor(asyncJobStore(store), "a", { log }) };
}

Deno.test("jobsHandleFor gets only the jobs of its own instance", async () => {
  const { store, handle } = setup();
  using _ = store;
  assert.equal((await handle.get("1"))?.id, "1");
  assert.equal(await handle.get("2"), undefined, "job 2 belongs to instance b");
  assert.equal(await handle.get("99"), undefined);
  assert.equal(await handle.get("*"), undefined);
});

Deno.test("jobsHandleFor lists only the jobs of its own instance, filtered", async () => {
  const { store, handle } = setup();
  using _ = store;
  assert.deepEqual((await handle.list()).map((job) => job.id), ["1", "3"]);
  assert.deepEqual((await handle.list({ tags: ["x"] })).map((job) => job.id), ["1"]);
  assert.deepEqual(await handle.list({ statuses: ["Running"] }), []);
});

Deno.test("jobsHandleFor updates its own jobs and notifies store subscribers", async () => {
  const { store, handle } = setup();
  using _ = store;
  const seen: Job[] = [];
  store.subscribe((job) => seen.push(job));
  const job = await handle.update("1", { status: "Running", pid: 42 });
  assert.equal(job?.status, "Running");
  assert.equal(job?.pid, 42);
  assert.equal(store.get("1")?.job.status, "Running");
  assert.deepEqual(seen.map((j) => [j.id, j.status]), [["1", "Running"]]);
});

Deno.test("jobsHandleFor leaves another instance's job alone", async () => {
  const { store, handle } = setup();
  using _ = store;
  assert.equal(await handle.update("2", { status: "Running" }), undefined);
  assert.equal(store.get("2")?.job.status, "Pending");
  assert.equal(await handle.update("99", { status: "Running" }), undefined);
});

Deno.test("jobsHandleFor logs a refused terminal regression and returns the job unchanged", async () => {
  const { store, handle, lines } = setup();
  using _ = store;
  await handle.update("1", { status: "Finished", exitCode: 0 });
  const job = await handle.update("1", { status: "Running", statusMessage: "again" });
  assert.equal(job?.status, "Finished");
  assert.equal(job?.statusMessage, undefined, "no part of a refused change is applied");
  assert.equal(store.get("1")?.job.status, "Finished");
  const warning = lines.find((line) => line.msg === "Refused a job change");
  assert.equal(warning?.level, "warn");
  assert.equal(warning?.job, "1");
  assert.equal(warning?.reason, 'Cannot move job "1" from Finished to Running');
});

Deno.test("jobsHandleFor logs nothing for an accepted change", async () => {
  const { store, handle, lines } = setup();
  using _ = store;
  await handle.update("3", { status: "Running" });
  assert.deepEqual(lines, []);
});
