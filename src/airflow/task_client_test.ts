import assert from "node:assert/strict";
import type { TaskInstanceInfo } from "../sdk/airflow/mod.ts";
import type { Body } from "./codec.ts";
import type { Reply } from "./comm_channel.ts";
import { taskClient } from "./task_client.ts";

const ti: TaskInstanceInfo = {
  id: "ti-1",
  dagId: "sales",
  taskId: "load",
  runId: "run-1",
  tryNumber: 1,
  mapIndex: undefined,
  queue: undefined,
  hostname: undefined,
};

/** A client over a fake supervisor that answers from `replies` by request type. */
function client(replies: Record<string, Reply>, env: Record<string, string> = {}) {
  const sent: Body[] = [];
  const ask = (body: Body) => {
    sent.push(body);
    return Promise.resolve(replies[String(body.type)] ?? { body: null, error: null });
  };
  return { sent, client: taskClient(ask, ti, (name) => env[name]) };
}

const notFound = (error: string): Reply => ({
  body: { type: "ErrorResponse", error, detail: {} },
  error: null,
});

Deno.test("getVariable prefers AIRFLOW_VAR_<KEY>, then asks, and maps not found to undefined", async () => {
  const local = client({}, { AIRFLOW_VAR_REGION: "us" });
  assert.equal(await local.client.getVariable("region"), "us");
  assert.deepEqual(local.sent, []);
  const found = client({
    GetVariable: { body: { type: "VariableResult", value: "eu" }, error: null },
  });
  assert.equal(await found.client.getVariable("region"), "eu");
  assert.deepEqual(found.sent, [{ type: "GetVariable", key: "region" }]);
  assert.equal(
    await client({ GetVariable: notFound("VARIABLE_NOT_FOUND") }).client.getVariable("x"),
    undefined,
  );
  const gone = client({
    GetVariable: { body: null, error: { error: "API_SERVER_ERROR", detail: { status_code: 404 } } },
  });
  assert.equal(await gone.client.getVariable("x"), undefined);
});

Deno.test("A supervisor error rejects with its code and message", async () => {
  const failing = client({
    GetConnection: {
      body: null,
      error: { error: "API_SERVER_ERROR", detail: { status_code: 500, message: "db down" } },
    },
  });
  await assert.rejects(
    failing.client.getConnection("warehouse"),
    /Airflow could not get connection "warehouse": API_SERVER_ERROR: db down/,
  );
});

Deno.test("Writes carry every field their models require", async () => {
  const { sent, client: c } = client({
    DeleteVariable: { body: { type: "OKResponse", ok: true }, error: null },
  });
  await c.putVariable("k", "v");
  assert.equal(await c.deleteVariable("k"), true);
  await c.pushXCom("rows", [1, 2]);
  await c.deleteXCom("rows");
  assert.deepEqual(sent, [
    { type: "PutVariable", key: "k", value: "v", description: null },
    { type: "DeleteVariable", key: "k" },
    {
      type: "SetXCom",
      key: "rows",
      value: [1, 2],
      dag_id: "sales",
      run_id: "run-1",
      task_id: "load",
      map_index: null,
    },
    {
      type: "DeleteXCom",
      key: "rows",
      dag_id: "sales",
      run_id: "run-1",
      task_id: "load",
      map_index: null,
    },
  ]);
});

Deno.test("pullXCom defaults to return_value of this run and reads nil as undefined", async () => {
  const { sent, client: c } = client({
    GetXCom: { body: { type: "XComResult", value: null }, error: null },
  });
  assert.equal(await c.pullXCom({ taskId: "extract" }), undefined);
  assert.deepEqual(sent[0], {
    type: "GetXCom",
    key: "return_value",
    dag_id: "sales",
    run_id: "run-1",
    task_id: "extract",
    map_index: null,
    include_prior_dates: false,
  });
});
