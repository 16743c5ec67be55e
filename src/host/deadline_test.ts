import assert from "node:assert/strict";
import { ErrorCode, LauncherError } from "../sdk/mod.ts";
import { withDeadline } from "./deadline.ts";

const never = () => new Promise<never>(() => {});

Deno.test("withDeadline abandons a call that ignores its signal with a Timeout error", async () => {
  const pending = withDeadline(never, {
    signal: new AbortController().signal,
    timeoutMs: 20,
    what: 'Plugin "slow" submitJob',
  });
  await assert.rejects(pending, (error: unknown) => {
    assert.ok(error instanceof LauncherError);
    assert.equal(error.code, ErrorCode.Timeout);
    assert.equal(error.message, 'Plugin "slow" submitJob did not finish within 0.02 s');
    return true;
  });
});

Deno.test("withDeadline passes the result of a call that finishes in time", async () => {
  const result = await withDeadline(async () => 42, {
    signal: new AbortController().signal,
    timeoutMs: 1000,
    what: "x",
  });
  assert.equal(result, 42);
});

Deno.test("withDeadline rejects with the caller's reason when the caller aborts", async () => {
  const controller = new AbortController();
  const pending = withDeadline(never, { signal: controller.signal, timeoutMs: 5000, what: "x" });
  controller.abort(new Error("shutting down"));
  await assert.rejects(pending, /shutting down/);
});
