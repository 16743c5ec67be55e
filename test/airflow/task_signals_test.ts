import assert from "node:assert/strict";
import { FIXTURES, opts, runTask } from "./_launchbox.ts";

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
