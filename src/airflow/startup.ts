import type { DagRunInfo, JsonValue, TaskInstanceInfo } from "../sdk/airflow/mod.ts";
import type { TaskRunContext } from "../sandbox/airflow_rpc.ts";
import { type ArgBinding, readArgBindings } from "./arg_bindings.ts";
import { asDate, type Body } from "./codec.ts";

/** What the runtime takes from `StartupDetails`; unknown keys are ignored. */
export interface Startup {
  context: TaskRunContext;
  shouldRetry: boolean;
  /** XComs of this task that Airflow asks the worker to clear before running it again. */
  xcomKeysToClear: string[];
  /** The task's TaskFlow arguments, resolved into `ctx.args` before it runs. */
  bindings: ArgBinding[];
}

/** Reads a `StartupDetails` body; throws `TypeError` naming a missing required field. */
export function readStartup(body: Body): Startup {
  const tiContext = record(body.ti_context ?? {}, "ti_context");
  const ti = readTaskInstance(record(body.ti, "ti"));
  const dagRun = readDagRun(record(tiContext.dag_run ?? {}, "ti_context.dag_run"), ti);
  const nextMethod = optionalText(tiContext.next_method);
  const nextKwargs = isMap(tiContext.next_kwargs) ? tiContext.next_kwargs : {};
  const keys = Array.isArray(tiContext.xcom_keys_to_clear) ? tiContext.xcom_keys_to_clear : [];
  return {
    context: {
      ti,
      dagRun,
      params: dagRun.conf,
      args: {},
      resume: nextMethod
        ? { method: nextMethod, kwargs: nextKwargs as Record<string, JsonValue> }
        : undefined,
    },
    shouldRetry: tiContext.should_retry === true,
    xcomKeysToClear: keys.filter((key): key is string => typeof key === "string"),
    bindings: readArgBindings(tiContext),
  };
}

function readTaskInstance(ti: Record<string, unknown>): TaskInstanceInfo {
  return {
    id: text(ti.id, "ti.id"),
    dagId: text(ti.dag_id, "ti.dag_id"),
    taskId: text(ti.task_id, "ti.task_id"),
    runId: text(ti.run_id, "ti.run_id"),
    tryNumber: Number(ti.try_number ?? 1),
    // Airflow's -1 means unmapped.
    mapIndex: typeof ti.map_index === "number" && ti.map_index >= 0 ? ti.map_index : undefined,
    queue: optionalText(ti.queue),
    hostname: optionalText(ti.hostname),
  };
}

function readDagRun(run: Record<string, unknown>, ti: TaskInstanceInfo): DagRunInfo {
  return {
    dagId: optionalText(run.dag_id) ?? ti.dagId,
    runId: optionalText(run.run_id) ?? ti.runId,
    runType: optionalText(run.run_type),
    logicalDate: asDate(run.logical_date),
    dataIntervalStart: asDate(run.data_interval_start),
    dataIntervalEnd: asDate(run.data_interval_end),
    runAfter: asDate(run.run_after),
    startDate: asDate(run.start_date),
    conf: (isMap(run.conf) ? run.conf : {}) as Record<string, JsonValue>,
  };
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) &&
    !(value instanceof Date);
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
