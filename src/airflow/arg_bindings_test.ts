import assert from "node:assert/strict";
import { readArgBindings, resolveArgs } from "./arg_bindings.ts";

Deno.test("readArgBindings reads arg_bindings, and stub_args from older supervisors", () => {
  assert.deepEqual(
    readArgBindings({
      arg_bindings: [
        { kind: "xcom", name: "rows", task_id: "extract", value_schema: null },
        { kind: "literal", name: "limit", value: 10, from_default: true },
      ],
    }),
    [
      { name: "rows", kind: "xcom", taskId: "extract", key: "return_value" },
      { name: "limit", kind: "literal", value: 10 },
    ],
  );
  assert.deepEqual(
    readArgBindings({
      stub_args: [{ kind: "xcom", name: "n", task_id: "a", key: "count" }, {
        kind: "literal",
        value: "x",
      }],
    }),
    [{ name: "n", kind: "xcom", taskId: "a", key: "count" }, {
      name: "1",
      kind: "literal",
      value: "x",
    }],
  );
  assert.deepEqual(readArgBindings({}), []);
});

Deno.test("readArgBindings names a binding it cannot use", () => {
  assert.throws(
    () => readArgBindings({ arg_bindings: [{ kind: "asset", name: "x" }] }),
    /ti_context\.arg_bindings\[0\] \("x"\) is neither a literal nor an XCom of a task/,
  );
  assert.throws(
    () => readArgBindings({ arg_bindings: [{ kind: "literal", value: 1 }] }),
    /arg_bindings\[0\] has no argument name/,
  );
});

Deno.test("resolveArgs pulls XComs of this run and fails on one never pushed", async () => {
  const pulled: unknown[] = [];
  const client = {
    pullXCom: (query: { taskId: string; key?: string }) => {
      pulled.push(query);
      return Promise.resolve(query.taskId === "extract" ? [1, 2, 3] : undefined);
    },
  };
  assert.deepEqual(
    await resolveArgs([
      { name: "rows", kind: "xcom", taskId: "extract", key: "return_value" },
      { name: "limit", kind: "literal", value: 10 },
    ], client),
    { rows: [1, 2, 3], limit: 10 },
  );
  assert.deepEqual(pulled, [{ taskId: "extract", key: "return_value" }]);
  await assert.rejects(
    resolveArgs([{ name: "n", kind: "xcom", taskId: "count", key: "return_value" }], client),
    /Argument "n" comes from XCom "return_value" of task "count", which was never pushed/,
  );
});
