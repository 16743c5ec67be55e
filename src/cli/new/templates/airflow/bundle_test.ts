import assert from "node:assert/strict";
import type { TaskContext } from "@launchbox/sdk/airflow";
import bundle, { greet } from "./mod.ts";

Deno.test("The bundle declares hello_dag.greet", () => {
  assert.equal(bundle.kind, "airflow");
  assert.deepEqual(Object.keys(bundle.dags.hello_dag?.tasks ?? {}), ["greet"]);
});

Deno.test("greet greets the name in the greeting_name Variable", async () => {
  const logged: string[] = [];
  const log = {
    debug: () => {},
    info: (msg: string) => void logged.push(msg),
    warn: () => {},
    error: () => {},
    with: () => log,
  };
  // Only what greet uses; `launchbox airflow-test` runs a task against a whole fake supervisor.
  const ctx = {
    client: { getVariable: async (key: string) => key === "greeting_name" ? "Ada" : undefined },
    log,
  } as unknown as TaskContext;
  assert.equal(await greet(ctx), "hello Ada");
  assert.deepEqual(logged, ["Greeting"]);
});
