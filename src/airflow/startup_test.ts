import assert from "node:assert/strict";
import { readStartup } from "./startup.ts";

const when = new Date("2026-06-16T12:00:00.123Z");

function body(overrides: { ti?: object; ti_context?: object } = {}) {
  return {
    type: "StartupDetails",
    ti: {
      id: "0190d6b0-0000-7000-8000-000000000001",
      task_id: "load",
      dag_id: "sales",
      run_id: "manual__1",
      try_number: 2,
      map_index: -1,
      queue: "launchbox",
      pool_slots: 1,
      ...overrides.ti,
    },
    ti_context: {
      dag_run: { dag_id: "sales", run_id: "manual__1", logical_date: when, conf: { n: 1 } },
      should_retry: true,
      xcom_keys_to_clear: ["return_value"],
      future_field: true,
      ...overrides.ti_context,
    },
  };
}

Deno.test("readStartup reads the task instance, run and retry flag, ignoring unknown keys", () => {
  const { context, shouldRetry, xcomKeysToClear } = readStartup(body());
  assert.equal(context.ti.taskId, "load");
  assert.equal(context.ti.tryNumber, 2);
  assert.equal(context.ti.mapIndex, undefined, "-1 means unmapped");
  assert.equal(context.dagRun.logicalDate?.toISOString(), when.toISOString());
  assert.deepEqual(context.params, { n: 1 });
  assert.equal(shouldRetry, true);
  assert.deepEqual(xcomKeysToClear, ["return_value"]);
  assert.equal(context.resume, undefined);
});

Deno.test("readStartup accepts ISO strings for datetimes and reads a resumed deferral", () => {
  const { context } = readStartup(body({
    ti: { map_index: 3 },
    ti_context: {
      dag_run: { logical_date: "2026-06-16T12:00:00+02:00", conf: null },
      next_method: "resume",
      next_kwargs: { event: 1 },
    },
  }));
  assert.equal(context.ti.mapIndex, 3);
  assert.equal(context.dagRun.logicalDate?.toISOString(), "2026-06-16T10:00:00.000Z");
  assert.deepEqual(context.params, {});
  assert.deepEqual(context.resume, { method: "resume", kwargs: { event: 1 } });
});

Deno.test("readStartup names a missing required field", () => {
  assert.throws(() => readStartup(body({ ti: { dag_id: undefined } })), /field "ti\.dag_id"/);
  assert.throws(() => readStartup({ type: "StartupDetails" }), /field "ti" must be a map/);
});
