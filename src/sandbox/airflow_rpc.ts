import type {
  DagRunInfo,
  DeferRequest,
  JsonValue,
  TaskClient,
  TaskInstanceInfo,
} from "../sdk/airflow/mod.ts";

/** What a task run needs besides the client: it crosses into the Worker by structured clone. */
export interface TaskRunContext {
  ti: TaskInstanceInfo;
  dagRun: DagRunInfo;
  params: Record<string, JsonValue>;
  /** TaskFlow arguments (literals and upstream XComs), resolved before the task runs. */
  args: Record<string, JsonValue>;
  resume: { method: string; kwargs: Record<string, JsonValue> } | undefined;
}

/** How a task ended. `missing` means the bundle has no such DAG or task. */
export type TaskOutcome =
  | { kind: "success"; value: JsonValue | undefined }
  /** `stack`: where a task's own error was thrown (its log shows it), when known. */
  | { kind: "failed"; error: { name: string; message: string; stack?: string } }
  | { kind: "skipped"; reason: string }
  | { kind: "deferred"; request: DeferRequest }
  /** `at`: ISO 8601. */
  | { kind: "rescheduled"; at: string }
  | { kind: "missing"; available: Record<string, string[]> };

/** Client methods the main thread serves: all but `defer`, which ends the task in the Worker. */
export type SupervisorMethod = Exclude<keyof TaskClient, "defer">;

/** Main thread → task Worker. */
export type ToTaskWorker =
  | {
    t: "run";
    /** The bundle's name: refusals say `Plugin "<bundle>" is not permitted to …`. */
    bundle: string;
    entryPath: string;
    dagId: string;
    taskId: string;
    context: TaskRunContext;
    debug: boolean;
  }
  | { t: "list"; entryPath: string }
  | { t: "reply"; id: number; value?: unknown; error?: { name: string; message: string } }
  | { t: "abort"; reason: string };

/** Task Worker → main thread. */
export type FromTaskWorker =
  | { t: "call"; id: number; method: SupervisorMethod; args: unknown[] }
  | {
    t: "log";
    level: "debug" | "info" | "warning" | "error";
    event: string;
    logger: string;
    fields?: Record<string, unknown>;
  }
  | { t: "outcome"; outcome: TaskOutcome }
  | { t: "dags"; dags: Record<string, string[]> }
  | { t: "loadFailed"; error: { name: string; message: string } };
