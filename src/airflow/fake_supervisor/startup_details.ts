/**
 * A full `StartupDetails` body as Airflow's supervisor sends it: datetimes as Date (encoded
 * as Timestamp ext), UUID strings, every `ti_context`/`dag_run` field.
 */
export function startupDetails(
  task: {
    dagId: string;
    taskId: string;
    shouldRetry?: boolean;
    conf?: Record<string, unknown>;
    /** Extra `ti_context` fields (say, `arg_bindings`). */
    tiContext?: Record<string, unknown>;
  },
) {
  const now = new Date("2026-06-16T12:00:00.123Z");
  const runId = "manual__2026-06-16T12:00:00+00:00";
  return {
    ti: {
      id: "0190d6b0-0000-7000-8000-000000000001",
      task_id: task.taskId,
      dag_id: task.dagId,
      run_id: runId,
      try_number: 1,
      dag_version_id: "0190d6b0-0000-7000-8000-000000000002",
      map_index: -1,
      hostname: "worker-1",
      context_carrier: null,
      queue: "launchbox",
      pool_slots: 1,
      priority_weight: 3,
    },
    dag_rel_path: `${task.dagId}.py`,
    bundle_info: { name: "dags-folder", version: null, version_data: null },
    start_date: now,
    ti_context: {
      dag_run: {
        dag_id: task.dagId,
        run_id: runId,
        logical_date: now,
        data_interval_start: now,
        data_interval_end: now,
        run_after: now,
        start_date: now,
        end_date: null,
        clear_number: 0,
        run_type: "manual",
        state: "running",
        conf: task.conf ?? {},
        triggering_user_name: "admin",
        consumed_asset_events: [],
        partition_key: null,
        note: null,
        team_name: null,
      },
      task_reschedule_count: 0,
      max_tries: 2,
      variables: [],
      connections: [],
      next_method: null,
      next_kwargs: null,
      xcom_keys_to_clear: [],
      should_retry: task.shouldRetry ?? false,
      start_date: null,
      ...task.tiContext,
    },
    sentry_integration: "",
    type: "StartupDetails",
  };
}
