// The fake Execution API moved to src/airflow/fake_supervisor/ (launchbox airflow-test uses it).
export {
  answer,
  apiServerError,
  type Store,
  xcomKey,
} from "../../src/airflow/fake_supervisor/fake_execution_api.ts";
