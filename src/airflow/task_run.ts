import type { TaskOutcome, TaskRunContext } from "../sandbox/airflow_rpc.ts";
import { AirflowTaskWorker, type TaskLogSink } from "../sandbox/airflow_worker.ts";
import type { Manifest } from "../sandbox/manifest.ts";
import { bundlePermissions } from "./bundles.ts";
import type { SupervisorCalls } from "./task_client.ts";

/** How long a task may keep running after SIGTERM/SIGINT aborted its signal. */
export const ABORT_GRACE_MS = 2_000;

/** Options for {@linkcode runInBundles}. */
export interface BundleRun {
  bundles: Manifest[];
  scratch: string;
  context: TaskRunContext;
  client: SupervisorCalls;
  onLog: TaskLogSink;
  debug: boolean;
  /** Aborts when the supervisor signals the process. */
  stop: AbortSignal;
  /** A Worker started for the first bundle before the task was known. */
  prestarted?: StartedWorker;
}

/** A bundle's task Worker, started ahead by {@linkcode prestartWorker}. */
export interface StartedWorker {
  bundle: Manifest;
  worker: AirflowTaskWorker;
}

/**
 * Starts the first bundle's task Worker while the supervisor's `StartupDetails` is still
 * on its way, when its permissions do not depend on the task: isolation `none`, whose one
 * instance every task shares. Its isolate and the runtime's Worker modules then load beside
 * the greeting; a task from another bundle, or isolation by DAG or run, starts as before.
 */
export async function prestartWorker(
  bundles: Manifest[],
  options: { scratch: string; onLog: TaskLogSink },
): Promise<StartedWorker | undefined> {
  const bundle = bundles[0];
  if (!bundle || bundle.isolation !== "none") return undefined;
  const { permissions } = await bundlePermissions(bundle, options.scratch, {
    dagId: "",
    runId: "",
  });
  return { bundle, worker: new AirflowTaskWorker(permissions, bundle.name, options.onLog) };
}

/**
 * Finds the bundle that has the task and runs it there. Resolves `missing` (with what is
 * available) when no bundle has it, and `failed` when a stop signal was not honoured in time.
 */
export async function runInBundles(run: BundleRun): Promise<TaskOutcome> {
  const available: Record<string, string[]> = {};
  const { dagId, taskId } = run.context.ti;
  for (const bundle of run.bundles) {
    const worker = run.prestarted?.bundle === bundle
      ? run.prestarted.worker
      : await startWorker(bundle, run);
    const task = {
      bundle: bundle.name,
      entryPath: bundle.entryPath,
      dagId,
      taskId,
      context: run.context,
      debug: run.debug,
    };
    const outcome = await withStop(worker.run(task, run.client), worker, run.stop);
    if (outcome.kind !== "missing") return outcome;
    worker.terminate();
    Object.assign(available, outcome.available);
  }
  return { kind: "missing", available };
}

async function startWorker(bundle: Manifest, run: BundleRun): Promise<AirflowTaskWorker> {
  const { dagId, taskId, runId } = run.context.ti;
  const { permissions } = await bundlePermissions(bundle, run.scratch, { dagId, runId });
  return new AirflowTaskWorker(permissions, `${bundle.name}:${dagId}.${taskId}`, run.onLog);
}

/**
 * The task's outcome; on `stop`, its signal is aborted and, if it has not ended
 * {@linkcode ABORT_GRACE_MS} later, it counts as failed (the Worker is left to the exit).
 */
function withStop(
  running: Promise<TaskOutcome>,
  worker: AirflowTaskWorker,
  stop: AbortSignal,
): Promise<TaskOutcome> {
  return new Promise((resolve) => {
    running.then(resolve);
    const onStop = () => {
      const reason = String(stop.reason ?? "Task stopped");
      worker.abort(reason);
      const failed = () =>
        resolve({ kind: "failed", error: { name: "Terminated", message: reason } });
      AbortSignal.timeout(ABORT_GRACE_MS).addEventListener("abort", failed, { once: true });
    };
    if (stop.aborted) onStop();
    else stop.addEventListener("abort", onStop, { once: true });
  });
}
