import { UsageError } from "./usage_error.ts";

/** Runs one Airflow task instance for the supervisor (coordinator mode). */
export function runAirflowMode(_args: string[]): Promise<number> {
  return Promise.reject(new UsageError("Airflow coordinator mode is not built yet"));
}

/** Prints the task bundle's metadata. */
export function runAirflowMetadata(_args: string[]): Promise<number> {
  return Promise.reject(new UsageError("Airflow bundle metadata is not built yet"));
}
