import assert from "node:assert/strict";
import { terminalMessage } from "./terminal.ts";

const keys = (body: Record<string, unknown>) => Object.keys(body).sort();

Deno.test("terminalMessage sends SucceedTask with empty outlet lists and nothing else", () => {
  const body = terminalMessage({ kind: "success", value: 1 }, false);
  assert.deepEqual(keys(body), ["end_date", "outlet_events", "state", "task_outlets", "type"]);
  assert.deepEqual([body.type, body.task_outlets, body.outlet_events], ["SucceedTask", [], []]);
  assert.match(String(body.end_date), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
});

Deno.test("terminalMessage sends RetryTask with retry_reason only when Airflow will retry", () => {
  const error = { name: "TypeError", message: "bad row" };
  const retry = terminalMessage({ kind: "failed", error }, true);
  assert.deepEqual(keys(retry), ["end_date", "retry_reason", "state", "type"]);
  assert.equal(retry.retry_reason, "TypeError: bad row");
  const failed = terminalMessage({ kind: "failed", error }, false);
  assert.deepEqual([failed.type, failed.state], ["TaskState", "failed"]);
});

Deno.test("terminalMessage sends skipped as TaskState and DeferTask with its model's fields", () => {
  const skipped = terminalMessage({ kind: "skipped", reason: "weekday" }, true);
  assert.deepEqual([skipped.type, skipped.state], ["TaskState", "skipped"]);
  const deferred = terminalMessage({
    kind: "deferred",
    request: { classpath: "a.B", nextMethod: "resume", timeout: "PT1H" },
  }, false);
  assert.deepEqual(deferred, {
    type: "DeferTask",
    state: "deferred",
    classpath: "a.B",
    trigger_kwargs: {},
    trigger_timeout: "PT1H",
    next_method: "resume",
    next_kwargs: {},
  });
});
