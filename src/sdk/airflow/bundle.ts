import type { DeferRequest, TaskFunction } from "./types.ts";

/**
 * The tasks of one DAG, by task ID (the IDs of the `@task.stub` functions in Python).
 *
 * @example
 * ```ts
 * import type { DagSpec } from "./bundle.ts";
 * const nightly: DagSpec = { tasks: { vacuum: () => undefined } };
 * ```
 */
export interface DagSpec {
  tasks: Record<string, TaskFunction>;
}

/**
 * What `defineBundle` returns; export it as the bundle module's default.
 *
 * @example
 * ```ts
 * import { type AirflowBundleDefinition, defineBundle } from "./bundle.ts";
 * const bundle: AirflowBundleDefinition = defineBundle({ dags: {} });
 * const dagIds = Object.keys(bundle.dags);
 * ```
 */
export interface AirflowBundleDefinition {
  readonly kind: "airflow";
  readonly dags: Readonly<Record<string, DagSpec>>;
}

/**
 * Declares a task bundle: TypeScript handlers for tasks of DAGs declared in Python with
 * `@task.stub(queue="…")`. Export the result as the module's default.
 *
 * @example
 * ```ts
 * import { defineBundle } from "./bundle.ts";
 * export default defineBundle({
 *   dags: {
 *     sales: {
 *       tasks: {
 *         extract: async ({ client }) => ({ rows: Number(await client.getVariable("rows") ?? 0) }),
 *       },
 *     },
 *   },
 * });
 * ```
 */
export function defineBundle(spec: { dags: Record<string, DagSpec> }): AirflowBundleDefinition {
  for (const [dagId, dag] of Object.entries(spec.dags)) {
    if (!dag || typeof dag.tasks !== "object") {
      throw new TypeError(`Cannot define bundle: DAG "${dagId}" has no tasks object`);
    }
    for (const [taskId, task] of Object.entries(dag.tasks)) {
      if (typeof task !== "function") {
        throw new TypeError(`Cannot define bundle: task "${dagId}.${taskId}" is not a function`);
      }
    }
  }
  return { kind: "airflow", dags: spec.dags };
}

/**
 * Thrown by `ctx.skip()`: the task ends as skipped.
 *
 * @example
 * ```ts
 * import { TaskSkipped } from "./bundle.ts";
 * const isSkip = (error: unknown) => error instanceof TaskSkipped;
 * ```
 */
export class TaskSkipped extends Error {
  override readonly name = "TaskSkipped";
}

/**
 * Thrown by `ctx.reschedule()`: the task runs again at `at`.
 *
 * @example
 * ```ts
 * import { TaskRescheduled } from "./bundle.ts";
 * const isReschedule = (error: unknown) => error instanceof TaskRescheduled;
 * ```
 */
export class TaskRescheduled extends Error {
  override readonly name = "TaskRescheduled";
  readonly at: Date;

  constructor(at: Date) {
    super(`Rescheduled to ${at.toISOString()}`);
    this.at = at;
  }
}

/**
 * Thrown by `ctx.defer()`: the task is handed to a trigger.
 *
 * @example
 * ```ts
 * import { TaskDeferred } from "./bundle.ts";
 * const isDefer = (error: unknown) => error instanceof TaskDeferred;
 * ```
 */
export class TaskDeferred extends Error {
  override readonly name = "TaskDeferred";
  readonly request: DeferRequest;

  constructor(request: DeferRequest) {
    super(`Deferred to ${request.classpath}`);
    this.request = request;
  }
}
