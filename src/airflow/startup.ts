import type { DagRunInfo, JsonValue, TaskInstanceInfo } from "../sdk/airflow/mod.ts";
import type { TaskRunContext } from "../sandbox/airflow_rpc.ts";
import { asDate, type Body } from "./codec.ts";

/** What the runtime takes from `StartupDetails`; unknown keys are ignored. */
export interface Startup {
  context: TaskRunContext;
  shouldRetry: boolean;
  /** XComs of this task that Airflow asks the worker to clear before running it again. */
  xcomKeysToClear: string[];
}

/** Reads a `StartupDetails` body; throws `TypeError` naming a missing required field. */
export function readStartup(body: Body): Startup {
  const ti = record(body.ti, "ti");
  const tiContext = record(body.ti_context ?? {}, "ti_context");
  const dagRun = record(tiContext.dag_run ?? {}, "ti_context.dag_run");
  const dagId = text(ti.dag_id, "ti.dag_id");
  const runId = text(ti.run_id, "ti.run_id");
  const info: TaskInstanceInfo = {
    id: text(ti.id, "ti.id"),
    dagId,
    taskId: text(ti.task_id, "ti.task_id"),
    runId,
    tryNumber: Number(ti.try_number ?? 1),
    mapIndex: typeof ti.map_index === "number" && ti.map_index >= 0 ? ti.map_index : undefined,
    queue: optionalText(ti.queue),
    hostname: optionalText(ti.hostname),
  };
  const conf = (dagRun.conf && typeof dagRun.conf === "object" ? dagRun.conf : {}) as Record<
    string,
    JsonValue
  >;
  const run: DagRunInfo = {
    dagId: optionalText(dagRun.dag_id) ?? dagId,
    runId: optionalText(dagRun.run_id) ?? runId,
    runType: optionalText(dagRun.run_type),
    logicalDate: asDate(dagRun.logical_date),
    dataIntervalStart: asDate(dagRun.data_interval_start),
    dataIntervalEnd: asDate(dagRun.data_interval_end),
    runAfter: asDate(dagRun.run_after),
    startDate: asDate(dagRun.start_date),
    conf,
  };
  const nextMethod = optionalText(tiContext.next_method);
  const nextKwargs = tiContext.next_kwargs && typeof tiContext.next_kwargs === "object"
    ? tiContext.next_kwargs
    : {};
  return {
    context: {
      ti: info,
      dagRun: run,
      params: conf,
      resume: nextMethod
        ? { method: nextMethod, kwargs: nextKwargs as Record<string, JsonValue> }
        : undefined,
    },
    shouldRetry: tiContext.should_retry === true,
    xcomKeysToClear: Array.isArray(tiContext.xcom_keys_to_clear)
      ? tiContext.xcom_keys_to_clear.filter((key): key is string => typeof key === "string")
      : [],
  };
}

function record(value: unknown, field: string): Record<string, unknown> {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    return value as Record<string, unknown>;
  }
  throw new TypeError(`Cannot read StartupDetails: field "${field}" must be a map`);
}

function text(value: unknown, field: string): string {
  if (typeof value === "string" && value !== "") return value;
  throw new TypeError(`Cannot read StartupDetails: field "${field}" must be a non-empty string`);
}

function optionalText(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
