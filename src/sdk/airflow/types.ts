import type { Logger } from "../context.ts";

/**
 * A value that can travel as XCom or a variable: plain JSON.
 *
 * @example
 * ```ts
 * import type { JsonValue } from "./types.ts";
 * const row: JsonValue = { id: 1, tags: ["a", "b"], ok: true };
 * ```
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | {
  [key: string]: JsonValue;
};

/**
 * The task instance being run.
 *
 * @example
 * ```ts
 * import type { TaskInstanceInfo } from "./types.ts";
 * const describe = (ti: TaskInstanceInfo) => `${ti.dagId}.${ti.taskId} try ${ti.tryNumber}`;
 * ```
 */
export interface TaskInstanceInfo {
  id: string;
  dagId: string;
  taskId: string;
  runId: string;
  tryNumber: number;
  /** `undefined` for an unmapped task (Airflow's -1). */
  mapIndex: number | undefined;
  queue: string | undefined;
  hostname: string | undefined;
}

/**
 * The DAG run the task belongs to.
 *
 * @example
 * ```ts
 * import type { DagRunInfo } from "./types.ts";
 * const day = (run: DagRunInfo) => run.logicalDate?.toISOString().slice(0, 10) ?? "manual";
 * ```
 */
export interface DagRunInfo {
  dagId: string;
  runId: string;
  runType: string | undefined;
  logicalDate: Date | undefined;
  dataIntervalStart: Date | undefined;
  dataIntervalEnd: Date | undefined;
  runAfter: Date | undefined;
  startDate: Date | undefined;
  conf: Record<string, JsonValue>;
}

/**
 * An Airflow connection. `extra` is parsed from Airflow's JSON text.
 *
 * @example
 * ```ts
 * import type { Connection } from "./types.ts";
 * const url = (c: Connection) => `${c.connType}://${c.host}:${c.port ?? 5432}/${c.schema ?? ""}`;
 * ```
 */
export interface Connection {
  connId: string;
  connType: string;
  host: string | undefined;
  schema: string | undefined;
  login: string | undefined;
  password: string | undefined;
  port: number | undefined;
  extra: Record<string, JsonValue>;
}

/**
 * Where to find an XCom; the DAG and run default to the running task's.
 *
 * @example
 * ```ts
 * import type { XComQuery } from "./types.ts";
 * const upstream: XComQuery = { taskId: "extract" };
 * ```
 */
export interface XComQuery {
  taskId: string;
  /** Defaults to `return_value`. */
  key?: string;
  dagId?: string;
  runId?: string;
  mapIndex?: number;
}

/**
 * What a task may ask of Airflow. "Not found" is a value, not an error: `getVariable`
 * and `getConnection` resolve `undefined` when there is none, and `pullXCom` resolves
 * `undefined` for an XCom that was never pushed. Other failures reject.
 *
 * @example
 * ```ts
 * import type { TaskClient } from "./types.ts";
 * async function greeting(client: TaskClient): Promise<string> {
 *   return (await client.getVariable("greeting")) ?? "hello";
 * }
 * ```
 */
export interface TaskClient {
  /** A variable's value; `AIRFLOW_VAR_<KEY>` in the environment wins without asking Airflow. */
  getVariable(key: string): Promise<string | undefined>;
  putVariable(key: string, value: string, options?: { description?: string }): Promise<void>;
  /** Whether a variable was deleted. */
  deleteVariable(key: string): Promise<boolean>;
  /** A connection; `AIRFLOW_CONN_<ID>` (a URI or JSON) in the environment wins. */
  getConnection(connId: string): Promise<Connection | undefined>;
  /** An XCom's value; `undefined` when it was never pushed. */
  pullXCom(query: XComQuery): Promise<JsonValue | undefined>;
  /** Pushes an XCom of the running task (a task's return value is pushed as `return_value`). */
  pushXCom(key: string, value: JsonValue): Promise<void>;
  /**
   * Registers a secret with Airflow's log masker, so it is redacted from the task log.
   * Variables with secret-looking keys and connection passwords are registered already,
   * also when they come from the environment.
   */
  maskSecret(value: JsonValue, name?: string): Promise<void>;
  /** Marks these downstream tasks (ids, or `[id, mapIndex]`) of this run as skipped. */
  skipDownstream(tasks: (string | [string, number])[]): Promise<void>;
  /**
   * Starts a run of another DAG (TriggerDagRun). `created` is false when a run with that id
   * already exists (and `resetDagRun` was not asked for).
   */
  triggerDagRun(dagId: string, options?: TriggerOptions): Promise<TriggeredRun>;
  /** Ends the task by handing it to a trigger (DeferTask); the same as `ctx.defer`. */
  defer(request: DeferRequest): never;
}

/**
 * How to trigger a DAG run.
 *
 * @example
 * ```ts
 * import type { TriggerOptions } from "./types.ts";
 * const options: TriggerOptions = { conf: { region: "emea" }, runId: "nightly-emea" };
 * ```
 */
export interface TriggerOptions {
  /** Default: `manual__<now, ISO 8601>`, as Airflow names manual runs. */
  runId?: string;
  /** The run's `conf` (its `params`). */
  conf?: Record<string, JsonValue>;
  logicalDate?: Date;
  /** Clear an existing run with this id and run it again. */
  resetDagRun?: boolean;
}

/** The run `triggerDagRun` asked for. */
export interface TriggeredRun {
  runId: string;
  /** False when a run with this id existed already. */
  created: boolean;
}

/**
 * Hands the task to a trigger on Airflow's triggerer (DeferTask); the task resumes in a
 * new process at `nextMethod`.
 *
 * @example
 * ```ts
 * import type { DeferRequest } from "./types.ts";
 * const wait: DeferRequest = {
 *   classpath: "airflow.providers.standard.triggers.temporal.TimeDeltaTrigger",
 *   triggerKwargs: { delta: 60 },
 *   nextMethod: "resume",
 * };
 * ```
 */
export interface DeferRequest {
  classpath: string;
  triggerKwargs?: Record<string, JsonValue>;
  nextMethod: string;
  nextKwargs?: Record<string, JsonValue>;
  /** ISO-8601 duration, e.g. `PT1H`. */
  timeout?: string;
}

/**
 * What a task function receives.
 *
 * @example
 * ```ts
 * import type { TaskContext } from "./types.ts";
 * async function extract(ctx: TaskContext) {
 *   ctx.log.info("Extracting", { run: ctx.dagRun.runId });
 *   if (ctx.signal.aborted) return null;
 *   return { rows: 42 };
 * }
 * ```
 */
export interface TaskContext {
  ti: TaskInstanceInfo;
  dagRun: DagRunInfo;
  /** The run's `conf`: the parameters it was triggered with. */
  params: Record<string, JsonValue>;
  /**
   * TaskFlow arguments Airflow bound to this task (`arg_bindings`): literals, and the XComs
   * of upstream tasks, already pulled. Empty when Airflow sends none.
   */
  args: Record<string, JsonValue>;
  logicalDate: Date | undefined;
  /** Aborts when Airflow stops the task (SIGTERM/SIGINT). */
  signal: AbortSignal;
  client: TaskClient;
  log: Logger;
  /** Resumed after a deferral: the method and kwargs given to `defer`. */
  resume: { method: string; kwargs: Record<string, JsonValue> } | undefined;
  /** Ends the task as skipped. */
  skip(reason?: string): never;
  /** Defers the task to a trigger. */
  defer(request: DeferRequest): never;
  /** Ends this try to run again at `at` (a sensor in reschedule mode: RescheduleTask). */
  reschedule(at: Date): never;
}

/**
 * A task: its return value (if not `undefined`) is pushed as XCom `return_value`; a throw
 * fails it (or retries it, when Airflow will).
 *
 * @example
 * ```ts
 * import type { TaskFunction } from "./types.ts";
 * const count: TaskFunction = async ({ client }) => {
 *   const rows = await client.pullXCom({ taskId: "extract" });
 *   return Array.isArray(rows) ? rows.length : 0;
 * };
 * ```
 */
export type TaskFunction = (ctx: TaskContext) => unknown;
