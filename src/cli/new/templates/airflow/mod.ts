/**
 * A task bundle with one DAG. The matching Python DAG:
 *
 * ```python
 * @dag(schedule=None)
 * def hello_dag():
 *     @task.stub(queue="launchbox")
 *     def greet(): ...
 *     greet()
 * ```
 *
 * @module
 */
import { defineBundle, type TaskContext } from "@launchbox/sdk/airflow";

/** Greets whoever the Airflow Variable `greeting_name` names; the return value is its XCom. */
export async function greet({ client, log }: TaskContext): Promise<string> {
  const name = (await client.getVariable("greeting_name")) ?? "world";
  log.info("Greeting", { name });
  return `hello ${name}`;
}

export default defineBundle({ dags: { hello_dag: { tasks: { greet } } } });
