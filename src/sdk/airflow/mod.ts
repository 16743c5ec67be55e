/**
 * The Launchbox SDK for Apache Airflow task bundles: TypeScript handlers for tasks that
 * Airflow routes to Launchbox (see README "Apache Airflow").
 *
 * @example
 * ```ts
 * import { defineBundle } from "./mod.ts";
 * export default defineBundle({
 *   dags: {
 *     hello: {
 *       tasks: {
 *         greet: async ({ client, log }) => {
 *           const name = (await client.getVariable("name")) ?? "world";
 *           log.info(`Hello, ${name}`);
 *           return `Hello, ${name}`;
 *         },
 *       },
 *     },
 *   },
 * });
 * ```
 *
 * @module
 */
export {
  type AirflowBundleDefinition,
  type DagSpec,
  defineBundle,
  TaskDeferred,
  TaskRescheduled,
  TaskSkipped,
} from "./bundle.ts";
export type {
  Connection,
  DagRunInfo,
  DeferRequest,
  JsonValue,
  TaskClient,
  TaskContext,
  TaskFunction,
  TaskInstanceInfo,
  TriggeredRun,
  TriggerOptions,
  XComQuery,
} from "./types.ts";
