import assert from "node:assert/strict";
import { events, FIXTURES, opts, runTask, types } from "./_launchbox.ts";
import { startupDetails } from "./_startup.ts";
import { xcomKey } from "./_supervisor.ts";

Deno.test(
  "Task context carries ti, dag run dates and params; ISO-string datetimes work too",
  opts,
  async () => {
    const startup = startupDetails({
      dagId: "behaviours",
      taskId: "reads_context",
      conf: { region: "apac" },
    });
    const iso = JSON.parse(JSON.stringify(startup));
    for (const startupBody of [startup, iso]) {
      const result = await runTask("behaviours", "reads_context", {
        plugins: FIXTURES,
        startup: startupBody,
      });
      assert.deepEqual(result.requests[0]!.value, {
        ti: "reads_context",
        mapIndex: null,
        logical: "2026-06-16T12:00:00.123Z",
        params: { region: "apac" },
        dataIntervalEnd: "2026-06-16T12:00:00.123Z",
      });
    }
  },
);

Deno.test("Console output becomes log records; the log level filter applies", opts, async () => {
  const result = await runTask("behaviours", "prints", { plugins: FIXTURES });
  const printed = result.logs.find((l) => l.event === "hello from console")!;
  assert.equal(printed.level, "info");
  assert.equal(printed.logger, "task.behaviours.prints.console");
  for (const line of ["rows: 1", "as xml", "raw stdout"]) {
    assert.ok(events(result).includes(line), `"${line}" became a record`);
  }
  assert.ok(events(result).some((e) => /^step: [\d.]+ms$/.test(e)));
  assert.ok(
    result.logs.some((l) => l.level === "error" && String(l.event).includes("shown as a record")),
  );
  const quiet = await runTask("behaviours", "prints", {
    plugins: FIXTURES,
    env: { AIRFLOW__LOGGING__LOGGING_LEVEL: "WARNING" },
  });
  assert.ok(quiet.logs.every((l) => l.level !== "info"));
  assert.ok(quiet.logs.some((l) => l.level === "error"));
  const namespaced = await runTask("behaviours", "prints", {
    plugins: FIXTURES,
    env: {
      AIRFLOW__LOGGING__LOGGING_LEVEL: "INFO",
      AIRFLOW__LOGGING__NAMESPACE_LEVELS: "task.behaviours=ERROR",
    },
  });
  assert.ok(!namespaced.logs.some((l) => l.event === "hello from console"));
  assert.ok(namespaced.logs.some((l) => l.logger === "launchbox.runtime"));
  assert.ok(!events(result).includes("debug detail"));
  const debugging = await runTask("behaviours", "prints", {
    plugins: FIXTURES,
    env: { AIRFLOW__LOGGING__NAMESPACE_LEVELS: "task.behaviours.prints=DEBUG" },
  });
  const detail = debugging.logs.find((l) => l.event === "debug detail");
  assert.equal(detail?.level, "debug");
  assert.ok(!debugging.logs.some((l) => l.level === "debug" && l.logger === "launchbox.runtime"));
});

Deno.test("An error thrown outside the task's promise fails the task", opts, async () => {
  const result = await runTask("behaviours", "throws_later", { plugins: FIXTURES });
  assert.equal(result.finalState, "failed");
  assert.ok(events(result).includes("Uncaught RangeError: thrown in a timer"));
});

Deno.test(
  "The sandbox refuses a task's read outside its bundle, and the task fails clearly",
  opts,
  async () => {
    const result = await runTask("behaviours", "reads_shadow", { plugins: FIXTURES });
    assert.equal(result.finalState, "failed");
    assert.ok(events(result).some((e) => e.includes('is not permitted to read "/etc/shadow"')));
  },
);

Deno.test(
  "A deferring task sends DeferTask with only the fields its model allows",
  opts,
  async () => {
    const result = await runTask("behaviours", "defers", { plugins: FIXTURES });
    assert.equal(result.finalState, "deferred");
    assert.deepEqual(result.terminal[0], {
      type: "DeferTask",
      state: "deferred",
      classpath: "airflow.triggers.testing.SuccessTrigger",
      trigger_kwargs: { n: 1 },
      trigger_timeout: null,
      next_method: "resume",
      next_kwargs: {},
    });
  },
);

Deno.test(
  "ctx.reschedule ends the try with RescheduleTask; an invalid date fails the task",
  opts,
  async () => {
    const result = await runTask("behaviours", "reschedules", { plugins: FIXTURES });
    assert.deepEqual(types(result), ["RescheduleTask"]);
    const terminal = result.terminal[0]!;
    assert.equal(terminal.state, "up_for_reschedule");
    assert.equal(terminal.reschedule_date, "2026-06-16T12:05:00.000Z");
    assert.equal(result.finalState, "up_for_reschedule");
    const bad = await runTask("behaviours", "reschedules_badly", { plugins: FIXTURES });
    assert.equal(bad.finalState, "failed");
    assert.ok(
      events(bad).some((e) => e.includes("reschedule needs a valid Date")),
      events(bad).join("\n"),
    );
  },
);

Deno.test(
  "Secrets are registered with MaskSecret, also ones read from the environment; skipDownstream reaches the supervisor",
  opts,
  async () => {
    const result = await runTask("behaviours", "masks_and_skips", {
      plugins: FIXTURES,
      env: {
        AIRFLOW_VAR_API_TOKEN: "tok-123",
        AIRFLOW_VAR_REGION: "emea",
        AIRFLOW_CONN_WAREHOUSE: JSON.stringify({
          conn_type: "postgres",
          host: "db.internal",
          password: "s3cret",
          extra: { private_key: "-----KEY-----", sslmode: "require" },
        }),
      },
    });
    assert.equal(result.finalState, "success");
    assert.deepEqual(result.store.masked, ["hunter2", "tok-123", "s3cret", "-----KEY-----"]);
    assert.deepEqual(result.store.skipped, ["load", ["notify", 2]]);
    const masks = result.requests.filter((r) => r.type === "MaskSecret");
    assert.deepEqual(masks[0], { type: "MaskSecret", value: "hunter2", name: "my_password" });
  },
);

Deno.test(
  "TaskFlow arguments arrive in ctx.args: literals, and upstream XComs pulled first",
  opts,
  async () => {
    const bindings = {
      arg_bindings: [
        { kind: "xcom", name: "rows", task_id: "extract", value_schema: null },
        { kind: "literal", name: "offset", value: 100, from_default: false },
      ],
    };
    const run = (xcoms: Map<string, unknown>) =>
      runTask("behaviours", "uses_args", {
        plugins: FIXTURES,
        startup: startupDetails({ dagId: "behaviours", taskId: "uses_args", tiContext: bindings }),
        store: { xcoms },
      });
    const key = xcomKey({
      dag_id: "behaviours",
      run_id: "manual__2026-06-16T12:00:00+00:00",
      task_id: "extract",
      key: "return_value",
    });
    const result = await run(new Map([[key, [1, 2, 3]]]));
    assert.deepEqual(types(result), ["GetXCom", "SetXCom", "SucceedTask"]);
    assert.deepEqual(result.requests[1]!.value, { total: 106 });
    const missing = await run(new Map());
    assert.equal(missing.finalState, "failed");
    assert.ok(
      events(missing).some((e) => e.includes('Argument "rows" comes from XCom "return_value"')),
      events(missing).join("\n"),
    );
  },
);

Deno.test(
  "triggerDagRun starts a run, reports one that exists, and names manual runs",
  opts,
  async () => {
    const result = await runTask("behaviours", "triggers", { plugins: FIXTURES });
    assert.equal(result.finalState, "success");
    const pushed = result.requests.find((r) => r.type === "SetXCom")!;
    assert.deepEqual(pushed.value, {
      first: { runId: "nightly", created: true },
      again: { runId: "nightly", created: false },
      generated: true,
    });
    assert.deepEqual(result.store.triggered?.get("reports/nightly"), { region: "emea" });
  },
);
