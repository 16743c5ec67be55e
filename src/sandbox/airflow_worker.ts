import type { TaskClient } from "../sdk/airflow/mod.ts";
import type {
  FromTaskWorker,
  SupervisorMethod,
  TaskOutcome,
  TaskRunContext,
  ToTaskWorker,
} from "./airflow_rpc.ts";

/** What the main thread serves for a task: its client without `defer`. */
export type TaskCalls = Pick<TaskClient, SupervisorMethod>;

/** Where a task Worker's log records go. */
export type TaskLogSink = (record: Extract<FromTaskWorker, { t: "log" }>) => void;

/**
 * One Worker running bundle code with the bundle's narrowed permissions. The main thread
 * serves its client calls (the Airflow sockets never enter the Worker).
 */
export class AirflowTaskWorker {
  readonly #worker: Worker;
  readonly #onLog: TaskLogSink;
  #client: TaskCalls | undefined;
  #settle: ((message: FromTaskWorker) => void) | undefined;

  constructor(permissions: Deno.PermissionOptionsObject, name: string, onLog: TaskLogSink) {
    this.#onLog = onLog;
    this.#worker = new Worker(new URL("./airflow_worker_entry.ts", import.meta.url), {
      type: "module",
      name,
      deno: { permissions },
    });
    this.#worker.onmessage = (event: MessageEvent<FromTaskWorker>) => this.#receive(event.data);
    this.#worker.onerror = (event) => {
      event.preventDefault();
      this.#settle?.({ t: "loadFailed", error: { name: "Error", message: event.message } });
    };
  }

  /** The DAGs and tasks of a bundle. */
  async list(entryPath: string): Promise<Record<string, string[]>> {
    const reply = await this.#ask({ t: "list", entryPath });
    if (reply.t === "dags") return reply.dags;
    throw new Error(reply.t === "loadFailed" ? reply.error.message : `Unexpected ${reply.t}`);
  }

  /** Runs one task; resolves with how it ended. */
  async run(
    task: {
      bundle: string;
      entryPath: string;
      dagId: string;
      taskId: string;
      context: TaskRunContext;
      debug: boolean;
    },
    client: TaskCalls,
  ): Promise<TaskOutcome> {
    this.#client = client;
    const reply = await this.#ask({ t: "run", ...task });
    if (reply.t === "outcome") return reply.outcome;
    if (reply.t === "loadFailed") return { kind: "failed", error: reply.error };
    return { kind: "failed", error: { name: "Error", message: `Unexpected ${reply.t}` } };
  }

  /** Aborts the task's signal (it may still finish on its own). */
  abort(reason: string): void {
    this.#worker.postMessage({ t: "abort", reason } satisfies ToTaskWorker);
  }

  terminate(): void {
    this.#worker.terminate();
  }

  #ask(message: ToTaskWorker): Promise<FromTaskWorker> {
    const answer = new Promise<FromTaskWorker>((resolve) => this.#settle = resolve);
    this.#worker.postMessage(message);
    return answer;
  }

  #receive(message: FromTaskWorker): void {
    if (message.t === "log") return this.#onLog(message);
    if (message.t === "call") return void this.#serve(message);
    this.#settle?.(message);
  }

  async #serve(call: Extract<FromTaskWorker, { t: "call" }>): Promise<void> {
    try {
      const client = this.#client!;
      const method = client[call.method] as (...args: unknown[]) => Promise<unknown>;
      const value = await method.apply(client, call.args);
      this.#worker.postMessage({ t: "reply", id: call.id, value } satisfies ToTaskWorker);
    } catch (error) {
      const { name, message } = error instanceof Error ? error : new Error(String(error));
      this.#worker.postMessage(
        { t: "reply", id: call.id, error: { name, message } } satisfies ToTaskWorker,
      );
    }
  }
}
