import assert from "node:assert/strict";
import { ErrorCode, LauncherError } from "../sdk/mod.ts";
import { JobRouting } from "./job_routing.ts";

const stored = (node?: string) => ({
  job: { id: "7", user: "alice", status: "Running" as const },
  instanceKey: "alice",
  plugin: "local",
  ...(node ? { node } : {}),
});

Deno.test("JobRouting acts here on this node's jobs, a shared scheduler's, and on one store", () => {
  const local = new JobRouting({ nodeId: "a", mode: "node-local" });
  assert.equal(local.isLocal(stored("a")), true);
  assert.equal(local.isLocal(stored("b")), false);
  assert.equal(local.isLocal(stored()), true, "SQLite rows carry no node");
  assert.equal(new JobRouting({ mode: "node-local" }).isLocal(stored("b")), true);
  assert.equal(
    new JobRouting({ nodeId: "a", mode: "shared-scheduler" }).isLocal(stored("b")),
    true,
  );
});

Deno.test("JobRouting refuses another node's local job naming the owner, and whether it is gone", async () => {
  const alive = new JobRouting({
    nodeId: "a",
    mode: "node-local",
    isAlive: () => Promise.resolve(true),
  });
  await assert.rejects(
    alive.requireLocal(stored("b"), "read the output of"),
    (error: unknown) =>
      error instanceof LauncherError && error.code === ErrorCode.RequestNotSupported &&
      error.message ===
        'Cannot read the output of job 7 on node "a": the job belongs to node "b", where its ' +
          "process runs; send the request through that node",
  );
  const gone = new JobRouting({
    nodeId: "a",
    mode: "node-local",
    isAlive: () => Promise.resolve(false),
  });
  await assert.rejects(
    gone.controlElsewhere(stored("b"), "stop", "alice"),
    (error: unknown) =>
      error instanceof LauncherError && error.code === ErrorCode.JobControlFailure &&
      error.message.endsWith(
        'the job belongs to node "b", which is no longer a member of the cluster',
      ),
  );
});

Deno.test("JobRouting forwards ControlJob of another node's job to its owner", async () => {
  const calls: unknown[] = [];
  const routing = new JobRouting({
    nodeId: "a",
    mode: "node-local",
    isAlive: () => Promise.resolve(true),
    forwardControl: (owner, call) => {
      calls.push({ owner, ...call });
      return Promise.resolve({ statusMessage: "ok", operationComplete: true });
    },
  });
  const result = await routing.controlElsewhere(stored("b"), "stop", "alice");
  assert.deepEqual(result, { statusMessage: "ok", operationComplete: true });
  assert.deepEqual(calls, [{ owner: "b", job: "7", op: "stop", user: "alice" }]);
});

Deno.test("JobRouting serves output itself on shared output files, never another node's resources", () => {
  const shared = new JobRouting({ nodeId: "a", mode: "node-local", sharedOutputFiles: true });
  assert.equal(shared.isLocal(stored("b"), "output"), true);
  assert.equal(shared.isLocal(stored("b"), "resources"), false, "the process runs on b");
  assert.equal(shared.isLocal(stored("b")), false, "control still goes to b");
  const plain = new JobRouting({ nodeId: "a", mode: "node-local" });
  assert.equal(plain.isLocal(stored("b"), "output"), false);
});

Deno.test("JobRouting forwards a stream of another node's job, or names the owner when gone", async () => {
  const asked: unknown[] = [];
  const routing = (alive: boolean) =>
    new JobRouting({
      nodeId: "a",
      mode: "node-local",
      isAlive: () => Promise.resolve(alive),
      async *forwardStream(owner, request) {
        asked.push({ owner, ...request });
        yield { output: "hi\n", outputType: "stdout" };
      },
    });
  const request = { job: "7", kind: "output" as const, user: "alice", wanted: "both" };
  const signal = new AbortController().signal;
  const got = [];
  for await (const item of routing(true).streamElsewhere(stored("b"), request, "read", signal)) {
    got.push(item);
  }
  assert.deepEqual(got, [{ output: "hi\n", outputType: "stdout" }]);
  assert.deepEqual(asked, [{ owner: "b", ...request }]);
  await assert.rejects(
    async () => {
      for await (const _ of routing(false).streamElsewhere(stored("b"), request, "read", signal));
    },
    (error: unknown) =>
      error instanceof LauncherError && error.code === ErrorCode.JobControlFailure &&
      error.message ===
        'Cannot read job 7 on node "a": the job belongs to node "b", which is no longer a ' +
          "member of the cluster",
  );
  assert.equal(asked.length, 1, "a gone owner is not asked");
});
