import assert from "node:assert/strict";
import { apiServerError } from "./_fake_api.ts";
import { events, opts, runTask, types } from "./_launchbox.ts";
import { startupDetails } from "./_startup.ts";
import { xcomKey } from "./_supervisor.ts";

Deno.test(
  "An Execution API failure fails the task with its message; a 404 counts as not found",
  opts,
  async () => {
    const failed = await runTask("sales_pipeline", "extract", {
      failures: { GetVariable: apiServerError(500, "database is down") },
    });
    assert.equal(failed.finalState, "failed");
    assert.deepEqual(types(failed), ["GetVariable", "TaskState"]);
    assert.ok(events(failed).some((e) => e.includes("API_SERVER_ERROR: database is down")));
    const absent = await runTask("sales_pipeline", "extract", {
      failures: { GetVariable: apiServerError(404, "Variable not found") },
    });
    assert.equal(absent.finalState, "success");
    assert.equal((absent.requests[1]!.value as { region: string }[])[0]!.region, "emea");
  },
);

Deno.test(
  "An undecodable reply is logged clearly, fails the waiting call, and still ends with one terminal message",
  opts,
  async () => {
    const result = await runTask("sales_pipeline", "extract", { garbled: ["GetVariable"] });
    assert.equal(result.exit.code, 0);
    assert.equal(result.finalState, "failed");
    assert.equal(result.terminal.length, 1);
    assert.ok(
      result.logs.some((l) =>
        l.level === "warning" &&
        /Cannot decode a supervisor frame.*taken as the reply to GetVariable/.test(String(l.event))
      ),
    );
  },
);

Deno.test(
  "A garbled reply to the terminal message does not change the exit code",
  opts,
  async () => {
    const result = await runTask("maintenance", "noop", { garbled: ["SucceedTask"] });
    assert.equal(result.exit.code, 0);
    assert.equal(result.finalState, "success");
  },
);

Deno.test("An unknown first message is logged and ends the run with exit 1", opts, async () => {
  const result = await runTask("maintenance", "noop", {
    startup: { type: "SomethingNew", detail: 1 },
  });
  assert.equal(result.exit.code, 1);
  assert.deepEqual(result.terminal, []);
  assert.ok(events(result).includes("Cannot start: unexpected first message SomethingNew"));
});

Deno.test(
  "A StartupDetails without a required field fails the task and names the field",
  opts,
  async () => {
    const startup = startupDetails({ dagId: "maintenance", taskId: "noop" });
    delete (startup.ti as Record<string, unknown>).id;
    const result = await runTask("maintenance", "noop", { startup });
    assert.equal(result.finalState, "failed");
    assert.deepEqual(types(result), ["TaskState"]);
    assert.ok(events(result).some((e) => e.includes('field "ti.id"')));
  },
);

Deno.test("XComs Airflow asks to clear are deleted before the task runs", opts, async () => {
  const startup = startupDetails({ dagId: "maintenance", taskId: "noop" });
  startup.ti_context.xcom_keys_to_clear = ["return_value", "progress"] as never;
  const mine = (key: string) =>
    xcomKey({ dag_id: "maintenance", run_id: startup.ti.run_id, task_id: "noop", key });
  const other = xcomKey({
    dag_id: "maintenance",
    run_id: startup.ti.run_id,
    task_id: "x",
    key: "a",
  });
  const result = await runTask("maintenance", "noop", {
    startup,
    store: { xcoms: new Map([[mine("return_value"), 1], [mine("progress"), 2], [other, 3]]) },
  });
  assert.deepEqual(types(result), ["DeleteXCom", "DeleteXCom", "SucceedTask"]);
  assert.deepEqual([...result.store.xcoms.keys()], [other]);
});

Deno.test("The flags also work as separate arguments; the last of each wins", opts, async () => {
  const result = await runTask("maintenance", "noop", { separateFlags: true });
  assert.equal(result.finalState, "success");
  assert.equal(result.exit.code, 0);
  const stale = await runTask("maintenance", "noop", {
    prefix: ["--comm=127.0.0.1:1", "--logs", "127.0.0.1:1"],
  });
  assert.equal(stale.finalState, "success");
});
