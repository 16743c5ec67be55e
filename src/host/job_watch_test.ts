import assert from "node:assert/strict";
import type { Job } from "../sdk/mod.ts";
import { JobStore } from "./job_store/mod.ts";
import { waitForJob } from "./job_watch.ts";
import { asyncJobStore } from "./job_store/store_interface.ts";

function openWithJob() {
  const store = JobStore.open(":memory:", { expiryHours: 24 });
  const job = store.insert(
    { user: "alice", status: "Pending", command: "true" },
    { instanceKey: "a", plugin: "local" },
  );
  return { store, id: job.id };
}

const started = (job: Job) => job.status !== "Pending";

/** Whether `promise` has settled once pending callbacks and a macrotask have run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(() => done = true, () => done = true);
  await new Promise((resolve) => setTimeout(resolve, 0));
  return done;
}

Deno.test("waitForJob resolves at once when the job already matches", async () => {
  const { store, id } = openWithJob();
  using _ = store;
  const job = await waitForJob(
    asyncJobStore(store),
    id,
    (j) => j.status === "Pending",
    AbortSignal.abort(),
  );
  assert.equal(job?.id, id, "a match wins even over an aborted signal");
});

Deno.test("waitForJob resolves with the job once a change makes it match", async () => {
  const { store, id } = openWithJob();
  using _ = store;
  const waiting = waitForJob(asyncJobStore(store), id, started, new AbortController().signal);
  store.update(id, { statusMessage: "queued" });
  assert.equal(await settled(waiting), false, "a change that does not match keeps waiting");
  store.insert({ user: "bob", status: "Running" }, { instanceKey: "b", plugin: "local" });
  assert.equal(await settled(waiting), false, "another job's change is ignored");
  store.update(id, { status: "Running", pid: 7 });
  const job = await waiting;
  assert.equal(job?.status, "Running");
  assert.equal(job?.pid, 7);
});

Deno.test("waitForJob resolves undefined for a job that does not exist", async () => {
  const { store } = openWithJob();
  using _ = store;
  assert.equal(
    await waitForJob(asyncJobStore(store), "99", started, new AbortController().signal),
    undefined,
  );
});

Deno.test("waitForJob rejects with the abort reason and stops listening", async () => {
  const { store, id } = openWithJob();
  using _ = store;
  const controller = new AbortController();
  let subscribed = 0;
  const jobs = {
    get: (jobId: string) => Promise.resolve(store.get(jobId)),
    // Not in WatchableJobs yet; lets this fake survive the fix proposed at the end of the file.
    subscribeRemovals: store.subscribeRemovals.bind(store),
    subscribe: (listener: (job: Job) => void) => {
      subscribed++;
      const off = store.subscribe(listener);
      return () => {
        subscribed--;
        off();
      };
    },
  };
  const waiting = waitForJob(jobs, id, started, controller.signal);
  assert.equal(subscribed, 1);
  const reason = new DOMException("stream cancelled", "AbortError");
  controller.abort(reason);
  await assert.rejects(waiting, (error: unknown) => error === reason);
  assert.equal(subscribed, 0);
});

Deno.test("waitForJob rejects at once for an already aborted signal", async () => {
  const { store, id } = openWithJob();
  using _ = store;
  await assert.rejects(
    waitForJob(asyncJobStore(store), id, started, AbortSignal.abort()),
    /AbortError|aborted/,
  );
});

Deno.test({
  name: "waitForJob resolves undefined when the job is removed while waiting",
}, async () => {
  const { store, id } = openWithJob();
  using _ = store;
  const waiting = waitForJob(asyncJobStore(store), id, started, new AbortController().signal);
  store.remove(id);
  assert.equal(await settled(waiting), true);
  assert.equal(await waiting, undefined);
});
