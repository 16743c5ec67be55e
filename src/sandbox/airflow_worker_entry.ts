/// <reference lib="deno.worker" />
/**
 * The Worker that runs one Airflow task from a bundle, with the bundle's permissions.
 * Client calls and log lines go to the main thread, which owns the Airflow sockets.
 *
 * @module
 */
import type {
  AirflowBundleDefinition,
  DeferRequest,
  TaskClient,
  TaskContext,
} from "../sdk/airflow/mod.ts";
import { TaskDeferred, TaskRescheduled, TaskSkipped } from "../sdk/airflow/mod.ts";
import type { LogFields, Logger } from "../sdk/mod.ts";
import type {
  FromTaskWorker,
  SupervisorMethod,
  TaskOutcome,
  TaskRunContext,
  ToTaskWorker,
} from "./airflow_rpc.ts";
import { type PrintSink, routeConsole, routeStdio } from "./airflow_worker_console.ts";
import { explainRefusal } from "./friendly_error.ts";
import { describeLoadFailure, missingDefinition } from "./load_failure.ts";

const post = (message: FromTaskWorker) => self.postMessage(message);
const abort = new AbortController();
const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
let nextId = 1;
let logger = "task";

const printed: PrintSink = (level, event) =>
  post({ t: "log", level, event, logger: `${logger}.console` });
routeConsole(printed);
routeStdio(printed);
self.addEventListener("unhandledrejection", (event) => {
  event.preventDefault();
  post({ t: "log", level: "error", event: `Unhandled rejection: ${String(event.reason)}`, logger });
});
// An error thrown outside the task's promise (a timer, an event handler) ends the task failed.
self.addEventListener("error", (event) => {
  event.preventDefault();
  const error = describe(event.error ?? event.message);
  post({ t: "log", level: "error", event: `Uncaught ${error.name}: ${error.message}`, logger });
  post({ t: "outcome", outcome: { kind: "failed", error } });
});

self.onmessage = (event: MessageEvent<ToTaskWorker>) => {
  const message = event.data;
  switch (message.t) {
    case "run":
      return void run(message);
    case "list":
      return void list(message.entryPath);
    case "reply": {
      const waiter = waiting.get(message.id);
      waiting.delete(message.id);
      if (message.error) {
        waiter?.reject(
          Object.assign(new Error(message.error.message), { name: message.error.name }),
        );
      } else waiter?.resolve(message.value);
      return;
    }
    case "abort":
      return abort.abort(new DOMException(message.reason, "AbortError"));
  }
};

async function load(entryPath: string): Promise<AirflowBundleDefinition> {
  const module = await import(new URL(`file://${entryPath}`).href).catch((error) => {
    throw describeLoadFailure(error, entryPath);
  });
  const bundle = module.default as Partial<AirflowBundleDefinition> | undefined;
  if (bundle?.kind !== "airflow" || typeof bundle.dags !== "object") {
    throw missingDefinition(entryPath, "airflow");
  }
  return bundle as AirflowBundleDefinition;
}

async function list(entryPath: string): Promise<void> {
  try {
    post({ t: "dags", dags: inventory(await load(entryPath)) });
  } catch (error) {
    post({ t: "loadFailed", error: describe(explainRefusal(error, entryPath)) });
  }
}

async function run(message: Extract<ToTaskWorker, { t: "run" }>): Promise<void> {
  logger = `task.${message.dagId}.${message.taskId}`;
  let bundle: AirflowBundleDefinition;
  try {
    bundle = await load(message.entryPath);
  } catch (error) {
    return post({ t: "loadFailed", error: describe(explainRefusal(error, message.bundle)) });
  }
  const task = bundle.dags[message.dagId]?.tasks[message.taskId];
  if (!task) {
    return post({ t: "outcome", outcome: { kind: "missing", available: inventory(bundle) } });
  }
  const ctx = context(message.context, message.debug);
  post({ t: "outcome", outcome: await execute(task, ctx, message.bundle) });
}

async function execute(
  task: (ctx: TaskContext) => unknown,
  ctx: TaskContext,
  bundle: string,
): Promise<TaskOutcome> {
  try {
    const value = await task(ctx);
    structuredClone(value);
    return { kind: "success", value: value as never };
  } catch (error) {
    if (error instanceof TaskSkipped) return { kind: "skipped", reason: error.message };
    if (error instanceof TaskDeferred) return { kind: "deferred", request: error.request };
    if (error instanceof TaskRescheduled) {
      return { kind: "rescheduled", at: error.at.toISOString() };
    }
    const explained = explainRefusal(error, bundle);
    const stack = stackOf(explained instanceof Error && explained !== error ? error : explained);
    return { kind: "failed", error: { ...describe(explained), ...(stack ? { stack } : {}) } };
  }
}

function context(run: TaskRunContext, debug: boolean): TaskContext {
  const call = (method: SupervisorMethod) => (...args: unknown[]) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      post({ t: "call", id, method, args });
    });
  const defer = (request: DeferRequest): never => {
    throw new TaskDeferred(request);
  };
  const client = {
    getVariable: call("getVariable"),
    putVariable: call("putVariable"),
    deleteVariable: call("deleteVariable"),
    getConnection: call("getConnection"),
    pullXCom: call("pullXCom"),
    pushXCom: call("pushXCom"),
    maskSecret: call("maskSecret"),
    skipDownstream: call("skipDownstream"),
    triggerDagRun: call("triggerDagRun"),
    defer,
  } as TaskClient;
  return {
    ...run,
    logicalDate: run.dagRun.logicalDate,
    signal: abort.signal,
    client,
    log: postingLogger(logger, {}, debug),
    skip: (reason = "Skipped by the task") => {
      throw new TaskSkipped(reason);
    },
    defer,
    reschedule: (at: Date) => {
      if (!(at instanceof Date) || Number.isNaN(at.getTime())) {
        throw new TypeError(`reschedule needs a valid Date, got ${String(at)}`);
      }
      throw new TaskRescheduled(at);
    },
  };
}

function inventory(bundle: AirflowBundleDefinition): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(bundle.dags).map(([dag, spec]) => [dag, Object.keys(spec.tasks)]),
  );
}

/** The frames of an error's stack (without its first line, the message), if it has any. */
function stackOf(error: unknown): string | undefined {
  if (!(error instanceof Error) || !error.stack) return undefined;
  const own = new URL(".", import.meta.url).href;
  const frames = error.stack.split("\n")
    .filter((line) => /^\s+at /.test(line) && !line.includes(own));
  return frames.length > 0 ? frames.join("\n") : undefined;
}

function describe(error: unknown): { name: string; message: string } {
  return error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: "Error", message: String(error) };
}

function postingLogger(name: string, base: LogFields, debug: boolean): Logger {
  const at =
    (level: "debug" | "info" | "warning" | "error") => (event: string, fields?: LogFields) => {
      if (level !== "debug" || debug) {
        post({ t: "log", level, event, logger: name, fields: { ...base, ...fields } });
      }
    };
  return {
    debug: at("debug"),
    info: at("info"),
    warn: at("warning"),
    error: at("error"),
    with: (fields) => postingLogger(name, { ...base, ...fields }, debug),
  };
}
