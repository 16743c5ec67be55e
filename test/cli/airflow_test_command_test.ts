import assert from "node:assert/strict";
import { runLaunchbox } from "../_support/host_process.ts";

Deno.test("airflow-test runs a task against the given variables and prints its frames and final state", async () => {
  const { code, stdout } = await runLaunchbox([
    "airflow-test",
    "sales_pipeline",
    "extract",
    "--variable",
    "sales_region=apac",
  ]);
  assert.equal(code, 0, stdout);
  const lines = stdout.trimEnd().split("\n");
  assert.equal(lines[0], "→ StartupDetails sales_pipeline.extract");
  assert.ok(lines.includes('← GetVariable {"key":"sales_region"}'), stdout);
  assert.ok(lines.includes('→ VariableResult {"key":"sales_region","value":"apac"}'), stdout);
  assert.ok(lines.includes("log info task.sales_pipeline.extract: Extracted 3 sales"), stdout);
  assert.match(
    stdout,
    /^← SetXCom \{"key":"return_value","value":\[\{"region":"apac","amount":100\}/m,
  );
  assert.match(stdout, /^← SucceedTask \{"state":"success"/m);
  assert.equal(lines.at(-1), "Final state: success (exit 0)");
});

Deno.test("airflow-test serves connections and upstream XComs to a task", async () => {
  const { code, stdout } = await runLaunchbox([
    "airflow-test",
    "sales_pipeline",
    "load",
    "--connection",
    'warehouse={"conn_type":"postgres","host":"db.example","schema":"sales"}',
    "--xcom",
    'transform={"total":600,"count":3}',
  ]);
  assert.equal(code, 0, stdout);
  assert.match(
    stdout,
    /^log info task\.sales_pipeline\.load: Loading into postgres:\/\/db\.example\/sales$/m,
  );
  assert.match(
    stdout,
    /^← SetXCom \{"key":"loaded","value":\{"into":"db\.example","summary":\{"total":600,"count":3\}\}/m,
  );
  assert.match(stdout, /^Final state: success \(exit 0\)$/m);
});

Deno.test("airflow-test shows a failed task's stack and exits 1", async () => {
  const { code, stdout } = await runLaunchbox(["airflow-test", "maintenance", "fail"]);
  assert.equal(code, 1, stdout);
  assert.match(
    stdout,
    /^log error launchbox\.runtime: Task failed: Error: failing on purpose\n\s+at fail \(\S+\/plugins\/example-bundle\/mod\.ts:\d+:\d+\)/m,
  );
  assert.match(stdout, /^← TaskState \{"state":"failed"/m);
  assert.match(stdout, /^Final state: failed \(exit 0\)$/m);
});

Deno.test("airflow-test refuses a malformed --variable and bad JSON, exit 2", async () => {
  const bad = await runLaunchbox(["airflow-test", "d", "t", "--variable", "novalue"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--variable must be NAME=VALUE, got "novalue"/);
  const json = await runLaunchbox(["airflow-test", "d", "t", "--xcom", "up={nope"]);
  assert.equal(json.code, 2);
  assert.match(json.stderr, /--xcom up must be JSON: .*got '\{nope'/);
});
