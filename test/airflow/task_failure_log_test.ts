import assert from "node:assert/strict";
import { events, FIXTURES, opts, runTask } from "./_launchbox.ts";

Deno.test(
  "A failed task's log shows the stack of its error, down to the bundle's line",
  opts,
  async () => {
    const result = await runTask("maintenance", "fail");
    assert.equal(result.finalState, "failed");
    const failed = events(result).find((e) => e.startsWith("Task failed: "));
    assert.ok(failed, events(result).join("\n"));
    assert.match(
      failed,
      /^Task failed: Error: failing on purpose\n\s+at fail \(file:\/\/\S+\/plugins\/example-bundle\/mod\.ts:\d+:\d+\)/,
    );
    assert.doesNotMatch(failed, /airflow_worker_entry\.ts/);
  },
);

Deno.test(
  "A refused call names the bundle, as docs/airflow.md says, not the task's logger",
  opts,
  async () => {
    const result = await runTask("behaviours", "reads_shadow", { plugins: FIXTURES });
    assert.equal(result.finalState, "failed");
    const failed = events(result).find((e) => e.startsWith("Task failed: "));
    assert.match(
      failed ?? "",
      /^Task failed: NotCapable: Plugin "test_bundle" is not permitted to read "\/etc\/shadow"\n\s+at /,
    );
  },
);
