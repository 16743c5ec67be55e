/** Required fields of each runtime → supervisor body (spec §3.2–3.3), `type` aside. */
export const REQUIRED: Record<string, string[]> = {
  GetVariable: ["key"],
  PutVariable: ["key", "value", "description"],
  DeleteVariable: ["key"],
  GetConnection: ["conn_id"],
  GetXCom: ["key", "dag_id", "run_id", "task_id"],
  SetXCom: ["key", "value", "dag_id", "run_id", "task_id"],
  DeleteXCom: ["key", "dag_id", "run_id", "task_id"],
  MaskSecret: ["value"],
  SkipDownstreamTasks: ["tasks"],
  TriggerDagRun: ["dag_id", "run_id"],
  RescheduleTask: ["reschedule_date", "end_date"],
  SucceedTask: ["end_date"],
  RetryTask: ["end_date"],
  TaskState: ["state"],
  DeferTask: ["classpath", "next_method"],
  TaskHandlerParsingResult: ["fileloc", "task_handlers"],
  DagFileParsingResult: ["fileloc", "serialized_dags"],
};

/** Models with `additionalProperties: false`: an extra key means no reply at all. */
export const CLOSED: Record<string, string[]> = {
  SucceedTask: ["type", "state", "end_date", "task_outlets", "outlet_events", "rendered_map_index"],
  RetryTask: [
    "type",
    "state",
    "end_date",
    "rendered_map_index",
    "retry_delay_seconds",
    "retry_reason",
  ],
  RescheduleTask: ["type", "state", "reschedule_date", "end_date"],
  SkipDownstreamTasks: ["type", "tasks"],
  DeferTask: [
    "type",
    "state",
    "classpath",
    "trigger_kwargs",
    "trigger_timeout",
    "queue",
    "next_method",
    "next_kwargs",
    "rendered_map_index",
  ],
};

/** Messages that end the task. */
export const TERMINAL = new Set([
  "SucceedTask",
  "RetryTask",
  "TaskState",
  "DeferTask",
  "RescheduleTask",
  "AwaitInputTask",
]);

/** structlog's NAME_TO_LEVEL: the only `level` values the supervisor accepts. */
export const LOG_LEVELS = new Set([
  "critical",
  "exception",
  "error",
  "warn",
  "warning",
  "info",
  "debug",
  "notset",
]);

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?$/;

/** What is wrong with a request body, or `undefined` (the supervisor would accept it). */
export function bodyProblem(body: Record<string, unknown>): string | undefined {
  const type = body.type;
  if (typeof type !== "string") return "body has no string `type`";
  const required = REQUIRED[type];
  if (!required) return `unknown message type ${type}`;
  for (const field of required) {
    if (!(field in body)) return `${type} lacks required field ${field}`;
  }
  const allowed = CLOSED[type];
  if (allowed) {
    const extra = Object.keys(body).filter((key) => !allowed.includes(key));
    if (extra.length > 0) return `${type} has fields its model forbids: ${extra.join(", ")}`;
  }
  if (
    type === "SucceedTask" &&
    (!Array.isArray(body.task_outlets) || !Array.isArray(body.outlet_events))
  ) {
    return "SucceedTask must carry task_outlets: [] and outlet_events: []";
  }
  if (type === "TaskState" && !["failed", "skipped", "removed"].includes(String(body.state))) {
    return `TaskState state must be failed, skipped or removed, got ${String(body.state)}`;
  }
  for (const field of ["end_date", "reschedule_date"]) {
    if (
      field in body && !(typeof body[field] === "string" && RFC3339.test(body[field] as string)) &&
      !(body[field] instanceof Date)
    ) {
      return `${type}.${field} is not a datetime`;
    }
  }
  return undefined;
}

/** What is wrong with one log line, or `undefined`. */
export function logLineProblem(line: string): string | undefined {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return `log line is not JSON: ${line.slice(0, 80)}`;
  }
  if (!record || typeof record !== "object" || Array.isArray(record)) {
    return "log line is not a JSON object";
  }
  const { level, timestamp, event } = record as Record<string, unknown>;
  if (typeof level !== "string" || !LOG_LEVELS.has(level)) {
    return `log line has level ${JSON.stringify(level)}`;
  }
  if (timestamp !== undefined && !(typeof timestamp === "string" && RFC3339.test(timestamp))) {
    return `log line has timestamp ${JSON.stringify(timestamp)}`;
  }
  if (event !== undefined && event !== null && typeof event !== "string") {
    return "log line event is not a string";
  }
  return undefined;
}

/** Values the runtime must never send: bytes and extension types other than timestamps. */
export function forbiddenValue(value: unknown, path = "body"): string | undefined {
  if (value instanceof Uint8Array) return `${path} is binary`;
  if (
    value && typeof value === "object" && "type" in value && "data" in value &&
    (value as { data: unknown }).data instanceof Uint8Array
  ) {
    return `${path} is an extension value`;
  }
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const problem = forbiddenValue(item, `${path}[${i}]`);
      if (problem) return problem;
    }
  } else if (value && typeof value === "object" && !(value instanceof Date)) {
    for (const [key, item] of Object.entries(value)) {
      const problem = forbiddenValue(item, `${path}.${key}`);
      if (problem) return problem;
    }
  }
  return undefined;
}
