import assert from "node:assert/strict";
import { ErrorCode, type Job, type JobsHandle, LauncherError } from "../sdk/mod.ts";
import { RUNNER_MAX_JOBS_REQUESTS, RUNNER_MAX_WAITING_JOBS_REQUESTS } from "./constants.ts";
import { RunnerJobsServer } from "./_runner_jobs_server.ts";

const job = { id: "7", user: "alice", status: "Running" } as unknown as Job;

/** A handle that answers `get`/`list`/`update` from one job and records what it was asked. */
function handle(
  calls: unknown[][],
  update?: (id: string) => Promise<Job | undefined>,
): JobsHandle {
  return {
    get: async (id) => (calls.push(["get", id]), id === job.id ? job : undefined),
    list: async (filter) => (calls.push(["list", filter]), [job]),
    update: (
      id,
      change,
    ) => (calls.push(["update", id, change]), update?.(id) ?? Promise.resolve(job)),
  };
}

Deno.test("RunnerJobsServer answers get, list and update from the handle, null for no job", async () => {
  const calls: unknown[][] = [];
  const server = new RunnerJobsServer(handle(calls), "local");
  assert.deepEqual(await server.serve({ t: "jobs", id: 1, op: "get", args: ["7"] }), {
    t: "jobsReply",
    id: 1,
    value: job,
  });
  assert.deepEqual(await server.serve({ t: "jobs", id: 2, op: "get", args: ["8"] }), {
    t: "jobsReply",
    id: 2,
    value: null,
  });
  const listed = await server.serve({ t: "jobs", id: 3, op: "list", args: [{ statuses: [] }] });
  assert.deepEqual(listed.value, [job]);
  await server.serve({ t: "jobs", id: 4, op: "update", args: ["7", { statusMessage: "x" }] });
  assert.deepEqual(calls, [
    ["get", "7"],
    ["get", "8"],
    ["list", { statuses: [] }],
    ["update", "7", { statusMessage: "x" }],
  ]);
});

Deno.test("RunnerJobsServer turns a failed call into an error reply, keeping its code", async () => {
  const refused = () => Promise.reject(new LauncherError(ErrorCode.JobNotFound, "Job 7 not found"));
  const server = new RunnerJobsServer(handle([], refused), "local");
  const reply = await server.serve({ t: "jobs", id: 5, op: "update", args: ["7", {}] });
  assert.deepEqual(reply, {
    t: "jobsReply",
    id: 5,
    error: { name: "LauncherError", message: "Job 7 not found", code: ErrorCode.JobNotFound },
  });
});

Deno.test("RunnerJobsServer queues requests beyond RUNNER_MAX_JOBS_REQUESTS in flight and serves them in order", async () => {
  let release = () => {};
  const held = new Promise<Job | undefined>((resolve) => release = () => resolve(job));
  let running = 0;
  let most = 0;
  const order: number[] = [];
  const server = new RunnerJobsServer(
    handle([], async (id) => {
      most = Math.max(most, ++running);
      await held;
      order.push(Number(id));
      running--;
      return job;
    }),
    "local",
  );
  const count = RUNNER_MAX_JOBS_REQUESTS + 100;
  const replies = Array.from(
    { length: count },
    (_, i) => server.serve({ t: "jobs", id: i, op: "update", args: [String(i), {}] }),
  );
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(running, RUNNER_MAX_JOBS_REQUESTS, "only the limit runs at once");
  release();
  const answered = await Promise.all(replies);
  assert.ok(answered.every((reply) => reply.value === job && !reply.error), "none is refused");
  assert.equal(most, RUNNER_MAX_JOBS_REQUESTS);
  assert.deepEqual(
    order.slice(RUNNER_MAX_JOBS_REQUESTS),
    [...Array(100).keys()].map((i) => i + RUNNER_MAX_JOBS_REQUESTS),
    "the waiting ones in order",
  );
});

Deno.test("RunnerJobsServer refuses a request beyond the waiting ones too, naming the plugin", async () => {
  let release = () => {};
  const held = new Promise<Job | undefined>((resolve) => release = () => resolve(job));
  const server = new RunnerJobsServer(handle([], () => held), "local");
  const limit = RUNNER_MAX_JOBS_REQUESTS + RUNNER_MAX_WAITING_JOBS_REQUESTS;
  const unanswered = Array.from(
    { length: limit },
    (_, i) => server.serve({ t: "jobs", id: i, op: "update", args: ["7", {}] }),
  );
  const over = await server.serve({ t: "jobs", id: 99_999, op: "list", args: [] });
  assert.equal(over.error?.name, "RangeError");
  assert.equal(
    over.error?.message,
    `Plugin "local" has more than ${limit} ctx.jobs requests unanswered; refused "list"`,
  );
  release();
  assert.ok((await Promise.all(unanswered)).every((reply) => reply.value === job));
  assert.deepEqual((await server.serve({ t: "jobs", id: 100_000, op: "list", args: [] })).value, [
    job,
  ]);
});
