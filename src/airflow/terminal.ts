import type { TaskOutcome } from "../sandbox/airflow_rpc.ts";
import type { Body } from "./codec.ts";

/**
 * The one terminal message for an outcome: `SucceedTask` (with empty outlet lists),
 * `RetryTask` or `TaskState` failed, `TaskState` skipped or removed (no such task), `DeferTask`
 * or `RescheduleTask`. Only the fields
 * the supervisor's models allow are sent: several reject unknown keys.
 */
export function terminalMessage(outcome: TaskOutcome, shouldRetry: boolean): Body {
  const end_date = new Date().toISOString();
  switch (outcome.kind) {
    case "success":
      return {
        type: "SucceedTask",
        state: "success",
        end_date,
        task_outlets: [],
        outlet_events: [],
      };
    case "skipped":
      return { type: "TaskState", state: "skipped", end_date };
    case "missing":
      // No bundle has the task: removed, as the Go and TypeScript runtimes report it.
      return { type: "TaskState", state: "removed", end_date };
    case "rescheduled":
      return {
        type: "RescheduleTask",
        state: "up_for_reschedule",
        reschedule_date: outcome.at,
        end_date,
      };
    case "deferred": {
      const { classpath, triggerKwargs, nextMethod, nextKwargs, timeout } = outcome.request;
      return {
        type: "DeferTask",
        state: "deferred",
        classpath,
        trigger_kwargs: triggerKwargs ?? {},
        trigger_timeout: timeout ?? null,
        next_method: nextMethod,
        next_kwargs: nextKwargs ?? {},
      };
    }
    case "failed": {
      const reason = `${outcome.error.name}: ${outcome.error.message}`;
      if (shouldRetry) {
        return { type: "RetryTask", state: "up_for_retry", end_date, retry_reason: reason };
      }
      return { type: "TaskState", state: "failed", end_date };
    }
  }
}
