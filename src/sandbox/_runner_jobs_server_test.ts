import assert from "node:assert/strict";
import { ErrorCode, type Job, type JobsHandle, LauncherError } from "../sdk/mod.ts";
import { RUNNER_MAX_JOBS_REQUESTS } from "./constants.ts";
import { RunnerJobsServer } from "./_runner_jobs_server.ts";

const job = { id: "7", user: "alice", status: "Running" } as unknown as Job;

/** A handle that answers `get`/`list`/`update` from one job and records what it was asked. */
function handle(calls: unknown[][], update?: () => Promise<Job | undefined>): JobsHandle {
  return {
    get: async (id) => (calls.push(["get", id]), id === job.id ? job : undefined),
    list: async (filter) => (calls.push(["list", filter]), [job]),
    update: (
      id,
      change,
    ) => (calls.push(["update", id, change]), update?.() ?? Promise.resolve(job)),
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

Deno.test("RunnerJobsServer refuses a request beyond RUNNER_MAX_JOBS_REQUESTS in flight, naming the plugin", async () => {
  let release = () => {};
  const held = new Promise<Job | undefined>((resolve) => release = () => resolve(job));
  const server = new RunnerJobsServer(handle([], () => held), "local");
  const inFlight = Array.from(
    { length: RUNNER_MAX_JOBS_REQUESTS },
    (_, i) => server.serve({ t: "jobs", id: i, op: "update", args: ["7", {}] }),
  );
  const over = await server.serve({ t: "jobs", id: 999, op: "list", args: [] });
  assert.equal(over.error?.name, "RangeError");
  assert.equal(
    over.error?.message,
    `Plugin "local" has more than ${RUNNER_MAX_JOBS_REQUESTS} ctx.jobs requests in flight; refused "list"`,
  );
  release();
  assert.ok((await Promise.all(inFlight)).every((reply) => reply.value === job));
  assert.deepEqual((await server.serve({ t: "jobs", id: 1000, op: "list", args: [] })).value, [
    job,
  ]);
});
