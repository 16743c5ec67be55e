import assert from "node:assert/strict";
import { JsonLogger } from "../log/mod.ts";
import type { ControlResult, Job, JobOperation } from "../sdk/mod.ts";
import type { InstanceHealth } from "./health.ts";
import type { PluginInstance } from "./instance_pool.ts";
import { type NodeLease, nodeLostMessage, type PgStoredJob } from "./job_store/postgres/mod.ts";
import { type LostJobsOptions, stopLostJobs } from "./lost_lease_stop.ts";

const LEASE: NodeLease = {
  id: "node-a",
  address: "127.0.0.1:0",
  incarnation: 3,
  state: "expired",
  leaseUntilMs: 20_000,
  registeredMs: 10_000,
};

function stored(id: string, instanceKey: string): PgStoredJob {
  const job = { id, user: instanceKey, status: "Failed" } as Job;
  return { job, instanceKey, plugin: "local", node: "node-a" };
}

/** An instance whose kills answer as `answer` says; it records the jobs it was asked to kill. */
function instance(answer: (job: Job) => Promise<ControlResult>, killed: string[]) {
  return {
    controlJob(job: Job, op: JobOperation) {
      assert.equal(op, "kill");
      killed.push(job.id);
      return answer(job);
    },
  } as unknown as PluginInstance;
}

function fakes(jobs: PgStoredJob[], instances: Record<string, PluginInstance>, states = {}) {
  const asked: unknown[][] = [];
  const lines: Record<string, unknown>[] = [];
  const health = Object.keys(instances).map((key) => ({
    instance: key,
    state: (states as Record<string, string>)[key] ?? "running",
  })) as InstanceHealth[];
  const options: LostJobsOptions = {
    store: {
      failedJobsOfNode: (...args) => {
        asked.push(args);
        return Promise.resolve(jobs);
      },
    },
    pool: {
      health: () => health,
      get: (key) => Promise.resolve(instances[key]!),
    },
    lease: LEASE,
    leaseMs: 1_500,
    log: new JsonLogger({ sinks: [{ writeLine: (line) => lines.push(JSON.parse(line)) }] }),
  };
  return { options, asked, lines };
}

const completed = () =>
  Promise.resolve({ statusMessage: "Job Kill successful", operationComplete: true });
const noProcess = (job: Job) =>
  Promise.resolve({
    statusMessage: `Job ${job.id} has no process to kill`,
    operationComplete: false,
  });

Deno.test("stopLostJobs kills, through its running instance, each job failed over from the lost lease", async () => {
  const killed: string[] = [];
  const alice = instance((job) => job.id === "2" ? noProcess(job) : completed(), killed);
  const { options, asked, lines } = fakes([stored("1", "alice"), stored("2", "alice")], { alice });
  const outcome = await stopLostJobs(options);
  assert.deepEqual(outcome, { stopped: ["1"], notStopped: ["2"] });
  assert.deepEqual(killed.sort(), ["1", "2"]);
  // The jobs failed with this node's message, since its registration less one lease.
  assert.deepEqual(asked, [["node-a", { message: nodeLostMessage("node-a"), sinceMs: 8_500 }]]);
  const summary = lines.find((line) => String(line.msg).startsWith("Stopped the processes"));
  assert.equal(summary?.node, "node-a");
  assert.equal(summary?.incarnation, 3);
  assert.deepEqual(summary?.notStopped, ["2"]);
});

Deno.test("stopLostJobs starts no instance: the jobs of one that is not running are not stopped", async () => {
  const killed: string[] = [];
  const { options } = fakes(
    [stored("1", "alice"), stored("2", "bob")],
    { alice: instance(completed, killed), bob: instance(completed, killed) },
    { bob: "backoff" },
  );
  assert.deepEqual(await stopLostJobs(options), { stopped: ["1"], notStopped: ["2"] });
  assert.deepEqual(killed, ["1"]);
});

Deno.test("stopLostJobs gives up on a plugin that never answers once its time is up", async () => {
  const killed: string[] = [];
  const silent = instance(() => new Promise<ControlResult>(() => {}), killed);
  const { options, lines } = fakes([stored("1", "alice"), stored("2", "alice")], { alice: silent });
  const outcome = await stopLostJobs({ ...options, timeoutMs: 50 });
  assert.deepEqual(outcome.stopped, []);
  assert.deepEqual(outcome.notStopped.sort(), ["1", "2"]);
  assert.equal(lines.find((line) => line.timedOut === true)?.node, "node-a");
});

Deno.test("stopLostJobs logs, naming the lease, when the jobs cannot be listed", async () => {
  const { options, lines } = fakes([], {});
  options.store = { failedJobsOfNode: () => Promise.reject(new Error("connection refused")) };
  assert.deepEqual(await stopLostJobs(options), { stopped: [], notStopped: [] });
  const line = lines.find((l) => String(l.msg).startsWith("Cannot list the jobs"));
  assert.equal(line?.node, "node-a");
  assert.equal(line?.incarnation, 3);
});
