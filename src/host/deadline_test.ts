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

Deno.test("withDeadline leaves no timer or listener behind once the call settled", async () => {
  const controller = new AbortController();
  let seen: AbortSignal | undefined;
  await withDeadline(async (signal) => (seen = signal, 1), {
    signal: controller.signal,
    timeoutMs: 60_000,
    what: "x",
  });
  controller.abort(new Error("later"));
  assert.equal(seen?.aborted, false, "a settled call is not aborted by its caller later");
  // The test's sanitizer fails it if the 60 s timer were still pending.
});

Deno.test("withDeadline hands a call that starts after the caller aborted an aborted signal", async () => {
  let seen: AbortSignal | undefined;
  const pending = withDeadline((signal) => {
    seen = signal;
    return never();
  }, { signal: AbortSignal.abort(new Error("gone")), timeoutMs: 5000, what: "x" });
  await assert.rejects(pending, /gone/);
  assert.equal(seen?.aborted, true);
});
