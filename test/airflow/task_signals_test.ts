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

Deno.test(
  "SIGTERM right after StartupDetails, before the runtime has read it, still ends with one failed terminal message",
  opts,
  async () => {
    // The runtime dials both sockets before it loads the rest of itself, so a signal sent as
    // soon as StartupDetails is written usually lands before the frame is read.
    for (let run = 0; run < 3; run++) {
      const result = await runTask("behaviours", "ignores_abort", {
        plugins: FIXTURES,
        terminateAfterMs: 0,
      });
      assert.equal(result.exit.code, 0, `run ${run}: ${result.stderr}`);
      assert.equal(result.finalState, "failed", `run ${run}`);
      assert.deepEqual(result.terminal.map((t) => t.type), ["TaskState"], `run ${run}`);
      assert.equal(result.killedBy, undefined, `run ${run} needed no second signal`);
    }
  },
);
