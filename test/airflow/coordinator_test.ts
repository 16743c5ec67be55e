import assert from "node:assert/strict";
import { events, FIXTURES, opts, runTask, types } from "./_launchbox.ts";
import { startupDetails } from "./_startup.ts";
import { xcomKey } from "./_supervisor.ts";

Deno.test(
  "A task reads a variable, returns a value pushed as XCom, and succeeds",
  opts,
  async () => {
    const result = await runTask("sales_pipeline", "extract", {
      store: { variables: { sales_region: "apac" } },
    });
    assert.deepEqual(types(result), ["GetVariable", "SetXCom", "SucceedTask"]);
    const terminal = result.terminal[0]!;
    assert.deepEqual(Object.keys(terminal).sort(), [
      "end_date",
      "outlet_events",
      "state",
      "task_outlets",
      "type",
    ]);
    assert.deepEqual(terminal.task_outlets, []);
    assert.equal(result.finalState, "success");
    assert.equal(result.exit.code, 0);
    assert.ok(result.exitAfterTerminalMs! < 1_000, "exits promptly after its terminal message");
    const pushed = result.requests[1]!;
    assert.equal(pushed.key, "return_value");
    assert.equal(pushed.map_index, null);
    assert.deepEqual((pushed.value as { region: string }[])[0], { region: "apac", amount: 100 });
    assert.ok(events(result).some((e) => e === "Extracted 3 sales"));
    assert.ok(
      result.logs.every((l) => typeof l.timestamp === "string" && typeof l.logger === "string"),
    );
  },
);

Deno.test("A task pulls the XCom of an upstream task", opts, async () => {
  const sales = [{ region: "emea", amount: 5 }, { region: "emea", amount: 7 }];
  const key = xcomKey({
    dag_id: "sales_pipeline",
    run_id: "manual__2026-06-16T12:00:00+00:00",
    task_id: "extract",
    key: "return_value",
  });
  const result = await runTask("sales_pipeline", "transform", {
    store: { xcoms: new Map([[key, sales]]) },
  });
  assert.equal(result.finalState, "success");
  const pushed = result.requests.find((r) => r.type === "SetXCom")!;
  assert.deepEqual(pushed.value, { total: 12, count: 2 });
});

Deno.test(
  "A connection and variable write reach the supervisor; a missing connection fails the task",
  opts,
  async () => {
    const connections = {
      warehouse: {
        conn_type: "postgres",
        host: "db",
        schema: "dw",
        login: "etl",
        password: "pw",
        port: 5432,
        extra: '{"sslmode":"require"}',
      },
    };
    const ok = await runTask("sales_pipeline", "load", { store: { connections } });
    assert.equal(ok.finalState, "success");
    assert.deepEqual(types(ok), [
      "GetConnection",
      "GetXCom",
      "SetXCom",
      "PutVariable",
      "SucceedTask",
    ]);
    const put = ok.requests.find((r) => r.type === "PutVariable")!;
    assert.equal(put.description, "Set by load");
    assert.ok(events(ok).includes("Loading into postgres://db/dw"));
    const missing = await runTask("sales_pipeline", "load");
    assert.equal(missing.finalState, "failed");
    assert.deepEqual(missing.terminal[0]!.type, "TaskState");
    assert.ok(events(missing).some((e) => e.includes('Connection "warehouse" is not defined')));
  },
);

Deno.test(
  "A failure is reported as RetryTask with its reason when Airflow will retry",
  opts,
  async () => {
    const result = await runTask("maintenance", "fail", { shouldRetry: true });
    assert.equal(result.finalState, "up_for_retry");
    assert.equal(result.terminal[0]!.retry_reason, "Error: failing on purpose");
    assert.deepEqual(Object.keys(result.terminal[0]!).sort(), [
      "end_date",
      "retry_reason",
      "state",
      "type",
    ]);
  },
);

Deno.test(
  "AIRFLOW_VAR_ and AIRFLOW_CONN_ variables answer without asking the supervisor",
  opts,
  async () => {
    const env = {
      AIRFLOW_VAR_SALES_REGION: "us",
      AIRFLOW_CONN_WAREHOUSE: "postgres://etl:s3cr%40t@db.example:6432/dw?sslmode=require",
    };
    const extract = await runTask("sales_pipeline", "extract", { env });
    assert.deepEqual(types(extract), ["SetXCom", "SucceedTask"]);
    assert.equal((extract.requests[0]!.value as { region: string }[])[0]!.region, "us");
    const load = await runTask("sales_pipeline", "load", { env });
    assert.ok(!types(load).includes("GetConnection"));
    assert.ok(events(load).includes("Loading into postgres://db.example/dw"));
  },
);

Deno.test(
  "An unknown task ends as removed with a log line naming what is available",
  opts,
  async () => {
    const result = await runTask("sales_pipeline", "nope", { shouldRetry: true });
    assert.equal(result.finalState, "removed", "never retried: a retry would not find it either");
    assert.deepEqual(types(result), ["TaskState"]);
    assert.ok(
      events(result).some((e) =>
        /has task sales_pipeline\.nope; available: .*sales_pipeline: extract, transform, load/.test(
          e,
        )
      ),
    );
  },
);

Deno.test(
  "A task that skips itself ends as skipped; an empty task succeeds without XCom",
  opts,
  async () => {
    const skipped = await runTask("sales_pipeline", "weekend_only");
    assert.equal(skipped.finalState, "skipped");
    const noop = await runTask("maintenance", "noop");
    assert.deepEqual(types(noop), ["SucceedTask"]);
  },
);

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
  "SIGTERM or SIGINT aborts the task, reports failure and exits well within the 5 s escalation",
  opts,
  async () => {
    const cases = [
      ["waits_for_abort", "SIGTERM"],
      ["ignores_abort", "SIGTERM"],
      ["spins", "SIGTERM"],
      ["waits_for_abort", "SIGINT"],
    ] as const;
    for (const [task, signal] of cases) {
      const result = await runTask("behaviours", task, {
        plugins: FIXTURES,
        terminateAfterMs: 400,
        terminateWith: signal,
      });
      const what = `${task} on ${signal}`;
      assert.equal(result.exit.code, 0, `${what}: ${result.stderr}`);
      assert.equal(result.finalState, "failed", what);
      assert.equal(result.terminal.length, 1, what);
      assert.ok(result.exitAfterSignalMs! < 5_000, `${what} took ${result.exitAfterSignalMs} ms`);
      assert.equal(result.killedBy, undefined, `${what} needed no second signal`);
    }
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
