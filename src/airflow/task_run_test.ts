import assert from "node:assert/strict";
import type { TaskOutcome, TaskRunContext } from "../sandbox/airflow_rpc.ts";
import type { AirflowTaskWorker } from "../sandbox/airflow_worker.ts";
import type { Manifest } from "../sandbox/manifest.ts";
import { findBundles } from "./bundles.ts";
import type { SupervisorCalls } from "./task_client.ts";
import { prestartWorker, runInBundles } from "./task_run.ts";

const BUNDLES = new URL("../../bench/fixtures/bundles", import.meta.url).pathname;
const context = {
  ti: { dagId: "bench", taskId: "empty", runId: "r1" },
} as unknown as TaskRunContext;

Deno.test("prestartWorker starts nothing when the task decides the permissions, or there is no bundle", async () => {
  const byDag = { name: "per_dag", isolation: "namespace" } as Manifest;
  const byRun = { name: "per_run", isolation: "session" } as Manifest;
  const options = { scratch: "/nonexistent", onLog: () => {} };
  assert.equal(await prestartWorker([byDag], options), undefined);
  assert.equal(await prestartWorker([byRun], options), undefined);
  assert.equal(await prestartWorker([], options), undefined);
});

Deno.test("prestartWorker starts an isolation-none bundle's Worker in its shared private directory", async () => {
  const scratch = await Deno.makeTempDir();
  try {
    const { bundles } = await findBundles(BUNDLES);
    const started = await prestartWorker(bundles, { scratch, onLog: () => {} });
    assert.equal(started?.bundle, bundles[0]);
    started!.worker.terminate();
    const dir = await Deno.stat(`${scratch}/airflow/shared`);
    assert.equal(dir.mode! & 0o777, 0o700);
  } finally {
    await Deno.remove(scratch, { recursive: true });
  }
});

Deno.test("runInBundles runs the task in the Worker started ahead for its bundle", async () => {
  const bundle = { name: "ahead", isolation: "none" } as Manifest;
  const sent: string[] = [];
  const worker = {
    run: (task: { dagId: string; taskId: string }): Promise<TaskOutcome> => {
      sent.push(`${task.dagId}.${task.taskId}`);
      return Promise.resolve({ kind: "success", value: undefined });
    },
    terminate: () => sent.push("terminated"),
    abort: () => {},
  } as unknown as AirflowTaskWorker;
  const outcome = await runInBundles({
    bundles: [bundle],
    // No Worker may be started: permissions for this scratch would fail.
    scratch: "/nonexistent",
    context,
    client: {} as SupervisorCalls,
    onLog: () => {},
    debug: false,
    stop: new AbortController().signal,
    prestarted: { bundle, worker },
  });
  assert.deepEqual(outcome, { kind: "success", value: undefined });
  assert.deepEqual(sent, ["bench.empty"]);
});
