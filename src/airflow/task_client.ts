import type {
  Connection,
  JsonValue,
  TaskClient,
  TaskInstanceInfo,
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
  return {
    async getVariable(key) {
      const local = env(`AIRFLOW_VAR_${key.toUpperCase()}`);
      if (local !== undefined) return local;
      const body = found(await ask({ type: "GetVariable", key }), `get variable "${key}"`);
      return typeof body?.value === "string"
        ? body.value
        : body?.value == null
        ? undefined
        : JSON.stringify(body.value);
    },
    async putVariable(key, value, options = {}) {
      const reply = await ask({
        type: "PutVariable",
        key,
        value,
        description: options.description ?? null,
      });
      check(reply, `put variable "${key}"`);
    },
    async deleteVariable(key) {
      const body = check(await ask({ type: "DeleteVariable", key }), `delete variable "${key}"`);
      return body?.ok === true;
    },
    async getConnection(connId: string): Promise<Connection | undefined> {
      const local = env(`AIRFLOW_CONN_${connId.toUpperCase()}`);
      if (local !== undefined) return connectionFromEnv(connId, local);
      const body = found(
        await ask({ type: "GetConnection", conn_id: connId }),
        `get connection "${connId}"`,
      );
      return body ? connectionFromResult(body) : undefined;
    },
    async pullXCom(query: XComQuery): Promise<JsonValue | undefined> {
      const request = {
        type: "GetXCom",
        key: query.key ?? "return_value",
        dag_id: query.dagId ?? ti.dagId,
        run_id: query.runId ?? ti.runId,
        task_id: query.taskId,
        map_index: query.mapIndex ?? null,
        include_prior_dates: false,
      };
      const body = found(
        await ask(request),
        `pull XCom "${request.key}" of task "${query.taskId}"`,
      );
      return body?.value == null ? undefined : body.value as JsonValue;
    },
    async pushXCom(key, value) {
      const request = {
        type: "SetXCom",
        key,
        value,
        dag_id: ti.dagId,
        run_id: ti.runId,
        task_id: ti.taskId,
        map_index: ti.mapIndex ?? null,
      };
      check(await ask(request), `push XCom "${key}"`);
    },
    async deleteXCom(key) {
      const request = {
        type: "DeleteXCom",
        key,
        dag_id: ti.dagId,
        run_id: ti.runId,
        task_id: ti.taskId,
        map_index: ti.mapIndex ?? null,
      };
      check(await ask(request), `delete XCom "${key}"`);
    },
  };
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
