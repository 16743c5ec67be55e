import assert from "node:assert/strict";
import { events, opts, runTask, types } from "./_launchbox.ts";
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
