import type {
  Connection,
  JsonValue,
  TaskClient,
  TaskInstanceInfo,
  TriggeredRun,
  TriggerOptions,
  XComQuery,
} from "../sdk/airflow/mod.ts";
import type { Body } from "./codec.ts";
import type { Reply } from "./comm_channel.ts";
import { connectionFromEnv, connectionFromResult } from "./connections.ts";

/** Sends one request to the supervisor and resolves its reply. */
export type Ask = (body: Body) => Promise<Reply>;

/** The client calls served by the supervisor (`defer` ends the task inside its Worker). */
export type SupervisorCalls = Omit<TaskClient, "defer"> & {
  /** Deletes one XCom of the running task (DeleteXCom). */
  deleteXCom(key: string): Promise<void>;
};

/**
 * The client tasks use, served in the main thread: environment overrides first
 * (`AIRFLOW_VAR_<KEY>`, `AIRFLOW_CONN_<ID>`), then the supervisor. "Not found" replies
 * (in the body or as a 404 API error) become `undefined`; other errors reject with the
 * supervisor's detail.
 */
export function taskClient(
  ask: Ask,
  ti: TaskInstanceInfo,
  env: (name: string) => string | undefined,
): SupervisorCalls {
  return new SupervisorClient(ask, ti, env);
}

class SupervisorClient implements SupervisorCalls {
  readonly #ask: Ask;
  readonly #ti: TaskInstanceInfo;
  readonly #env: (name: string) => string | undefined;

  constructor(ask: Ask, ti: TaskInstanceInfo, env: (name: string) => string | undefined) {
    this.#ask = ask;
    this.#ti = ti;
    this.#env = env;
  }

  async getVariable(key: string): Promise<string | undefined> {
    const local = this.#env(`AIRFLOW_VAR_${key.toUpperCase()}`);
    if (local !== undefined) {
      // The supervisor masks what it serves; a value from the environment it never saw.
      if (isSensitiveName(key)) await this.maskSecret(local, key);
      return local;
    }
    const body = found(await this.#ask({ type: "GetVariable", key }), `get variable "${key}"`);
    if (body?.value == null) return undefined;
    return typeof body.value === "string" ? body.value : JSON.stringify(body.value);
  }

  async putVariable(key: string, value: string, options: { description?: string } = {}) {
    const request = { type: "PutVariable", key, value, description: options.description ?? null };
    check(await this.#ask(request), `put variable "${key}"`);
  }

  async deleteVariable(key: string): Promise<boolean> {
    const reply = await this.#ask({ type: "DeleteVariable", key });
    return check(reply, `delete variable "${key}"`)?.ok === true;
  }

  async getConnection(connId: string): Promise<Connection | undefined> {
    const local = this.#env(`AIRFLOW_CONN_${connId.toUpperCase()}`);
    if (local !== undefined) {
      const connection = connectionFromEnv(connId, local);
      if (connection.password) await this.maskSecret(connection.password, connId);
      for (const [key, value] of Object.entries(connection.extra)) {
        if (isSensitiveName(key) && typeof value === "string") await this.maskSecret(value, key);
      }
      return connection;
    }
    const reply = await this.#ask({ type: "GetConnection", conn_id: connId });
    const body = found(reply, `get connection "${connId}"`);
    return body ? connectionFromResult(body) : undefined;
  }

  async pullXCom(query: XComQuery): Promise<JsonValue | undefined> {
    const request = {
      type: "GetXCom",
      key: query.key ?? "return_value",
      dag_id: query.dagId ?? this.#ti.dagId,
      run_id: query.runId ?? this.#ti.runId,
      task_id: query.taskId,
      map_index: query.mapIndex ?? null,
      include_prior_dates: false,
    };
    const what = `pull XCom "${request.key}" of task "${query.taskId}"`;
    const body = found(await this.#ask(request), what);
    return body?.value == null ? undefined : body.value as JsonValue;
  }

  async maskSecret(value: JsonValue, name?: string): Promise<void> {
    check(await this.#ask({ type: "MaskSecret", value, name: name ?? null }), "mask a secret");
  }

  async skipDownstream(tasks: (string | [string, number])[]): Promise<void> {
    check(await this.#ask({ type: "SkipDownstreamTasks", tasks }), "skip downstream tasks");
  }

  async triggerDagRun(dagId: string, options: TriggerOptions = {}): Promise<TriggeredRun> {
    const runId = options.runId ?? `manual__${new Date().toISOString().replace("Z", "+00:00")}`;
    const reply = await this.#ask({
      type: "TriggerDagRun",
      dag_id: dagId,
      run_id: runId,
      conf: options.conf ?? null,
      logical_date: options.logicalDate ?? null,
      reset_dag_run: options.resetDagRun ?? false,
    });
    const problem = reply.error ?? (reply.body?.type === "ErrorResponse" ? reply.body : null);
    if (problem?.error === "DAGRUN_ALREADY_EXISTS") return { runId, created: false };
    check(reply, `trigger a run of DAG "${dagId}"`);
    return { runId, created: true };
  }

  async pushXCom(key: string, value: JsonValue): Promise<void> {
    const request = { type: "SetXCom", key, value, ...this.#mine() };
    check(await this.#ask(request), `push XCom "${key}"`);
  }

  async deleteXCom(key: string): Promise<void> {
    check(await this.#ask({ type: "DeleteXCom", key, ...this.#mine() }), `delete XCom "${key}"`);
  }

  /** Where this task's own XComs live. */
  #mine() {
    const { dagId, runId, taskId, mapIndex } = this.#ti;
    return { dag_id: dagId, run_id: runId, task_id: taskId, map_index: mapIndex ?? null };
  }
}

/** Airflow's default `sensitive_var_conn_names`: a key containing one of them is masked. */
const SENSITIVE_NAMES = [
  "access_token",
  "api_key",
  "apikey",
  "authorization",
  "passphrase",
  "passwd",
  "password",
  "private_key",
  "secret",
  "token",
  "keyfile_dict",
  "service_account",
];

function isSensitiveName(name: string): boolean {
  const lower = name.toLowerCase();
  return SENSITIVE_NAMES.some((word) => lower.includes(word));
}

/** The reply body, or a thrown error when the error slot (or an ErrorResponse body) is set. */
function check(reply: Reply, what: string): Body | null {
  const problem = reply.error ?? (reply.body?.type === "ErrorResponse" ? reply.body : null);
  if (problem) throw new Error(`Airflow could not ${what}: ${describeError(problem)}`);
  return reply.body;
}

/** Like `check`, but "not found" answers are `null`. */
function found(reply: Reply, what: string): Body | null {
  const problem = reply.error ?? (reply.body?.type === "ErrorResponse" ? reply.body : null);
  if (problem && isNotFound(problem)) return null;
  return check(reply, what);
}

function isNotFound(error: Body): boolean {
  if (typeof error.error === "string" && error.error.endsWith("_NOT_FOUND")) return true;
  const detail = error.detail as { status_code?: unknown } | null | undefined;
  return error.error === "API_SERVER_ERROR" && detail?.status_code === 404;
}

function describeError(error: Body): string {
  const detail = error.detail as { message?: unknown } | null | undefined;
  const message = typeof detail?.message === "string"
    ? `: ${detail.message}`
    : detail
    ? ` ${JSON.stringify(detail)}`
    : "";
  return `${String(error.error ?? "GENERIC_ERROR")}${message}`;
}
