/** What a fake Execution API holds, and the replies Airflow's request handlers give (spec §3.2). */
type Body = Record<string, unknown>;

/** The fake Execution API's data. */
export interface Store {
  variables: Record<string, string>;
  connections: Record<string, Body>;
  xcoms: Map<string, unknown>;
  /** Values registered with MaskSecret, in order. */
  masked?: unknown[];
  /** Tasks marked skipped by SkipDownstreamTasks. */
  skipped?: unknown[];
  /** Runs started by TriggerDagRun, as `dag_id/run_id`, with their conf. */
  triggered?: Map<string, unknown>;
}

/** Where an XCom lives: dag/run/task/key. */
export function xcomKey(body: Body): string {
  return `${body.dag_id}/${body.run_id}/${body.task_id}/${body.key}`;
}

/**
 * The reply body for a valid request (spec §3.2): "not found" as an `ErrorResponse` in the
 * body slot, a missing XCom as `value: nil`, writes and terminal messages as nil.
 */
export function answer(body: Body, store: Store): Body | null {
  const key = String(body.key ?? "");
  switch (body.type) {
    case "GetVariable":
      return key in store.variables
        ? { key, value: store.variables[key], type: "VariableResult" }
        : { type: "ErrorResponse", error: "VARIABLE_NOT_FOUND", detail: { key } };
    case "PutVariable":
      store.variables[key] = String(body.value);
      return null;
    case "DeleteVariable": {
      const existed = key in store.variables;
      delete store.variables[key];
      return { ok: existed, type: "OKResponse" };
    }
    case "GetConnection": {
      const id = String(body.conn_id);
      const conn = store.connections[id];
      return conn
        ? { conn_id: id, ...conn, type: "ConnectionResult" }
        : { type: "ErrorResponse", error: "CONNECTION_NOT_FOUND", detail: { conn_id: id } };
    }
    case "GetXCom":
      return { key, value: store.xcoms.get(xcomKey(body)) ?? null, type: "XComResult" };
    case "SetXCom":
      store.xcoms.set(xcomKey(body), body.value);
      return null;
    case "DeleteXCom":
      store.xcoms.delete(xcomKey(body));
      return null;
    case "MaskSecret":
      (store.masked ??= []).push(body.value);
      return null;
    case "TriggerDagRun": {
      const run = `${body.dag_id}/${body.run_id}`;
      store.triggered ??= new Map();
      if (store.triggered.has(run) && body.reset_dag_run !== true) {
        return { type: "ErrorResponse", error: "DAGRUN_ALREADY_EXISTS", detail: { run } };
      }
      store.triggered.set(run, body.conf);
      return { ok: true, type: "OKResponse" };
    }
    case "SkipDownstreamTasks":
      (store.skipped ??= []).push(...(body.tasks as unknown[]));
      return null;
  }
  return null;
}

/** The error slot Airflow sends when the Execution API call behind a request failed. */
export function apiServerError(status: number, message: string): Body {
  return {
    type: "ErrorResponse",
    error: "API_SERVER_ERROR",
    detail: { status_code: status, message, detail: null },
  };
}
