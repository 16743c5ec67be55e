/**
 * A fake Airflow supervisor for bundle authors (`launchbox airflow-test`) and tests: runs
 * one task of a bundle against a fake Execution API and reports every frame.
 *
 * @module
 */
export { answer, apiServerError, type Store, xcomKey } from "./fake_execution_api.ts";
export { startupDetails } from "./startup_details.ts";
export {
  finalState,
  type SupervisedTask,
  type SuperviseOptions,
  superviseTask,
  type SupervisorEvent,
} from "./supervise_task.ts";
