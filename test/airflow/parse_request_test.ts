import assert from "node:assert/strict";
import { opts, runTask, types } from "./_launchbox.ts";

Deno.test(
  "A Dag processor's TaskHandlerParseRequest gets every bundle's handlers and runs no task",
  opts,
  async () => {
    const result = await runTask("unused", "unused", {
      startup: {
        file: "/bundles/launchbox",
        bundle_path: "/bundles",
        bundle_name: "launchbox",
        type: "TaskHandlerParseRequest",
      },
    });
    assert.equal(result.exit.code, 0);
    assert.deepEqual(types(result), ["TaskHandlerParsingResult"]);
    const reply = result.requests[0]!;
    assert.equal(reply.fileloc, "/bundles/launchbox");
    const handlers = reply.task_handlers as Record<string, { task_id: string }[]>;
    assert.deepEqual(handlers.maintenance!.map((h) => h.task_id), ["noop", "fail"]);
  },
);

Deno.test("A DagFileParseRequest gets an empty list of serialized Dags", opts, async () => {
  const result = await runTask("unused", "unused", {
    startup: {
      file: "/bundles/x.py",
      bundle_path: "/bundles",
      bundle_name: "b",
      callback_requests: [],
      type: "DagFileParseRequest",
    },
  });
  assert.equal(result.exit.code, 0);
  assert.deepEqual(result.requests, [
    { type: "DagFileParsingResult", fileloc: "/bundles/x.py", serialized_dags: [] },
  ]);
});
