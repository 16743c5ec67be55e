import { startupDetails as airflowStartup } from "../../src/airflow/fake_supervisor/startup_details.ts";

/**
 * A full `StartupDetails` body as the supervisor sends it (src/airflow/fake_supervisor/),
 * plus a `ti_context` key the runtime does not know (it must ignore it).
 */
export function startupDetails(task: Parameters<typeof airflowStartup>[0]) {
  const body = airflowStartup({
    ...task,
    tiContext: { a_future_field: { added: "later" }, ...task.tiContext },
  });
  return body;
}
