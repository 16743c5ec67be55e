import assert from "node:assert/strict";
import {
  ABORT_GRACE_MS,
  FIRST_ITEM_WAIT_MS,
  PROFILE_DEFAULTS,
  resolveProfile,
  TERMINAL_WATCH_MS,
} from "./conformance_profile.ts";

const longRunningJob = { command: "sleep 3600" };

Deno.test("resolveProfile fills the defaults, taking pendingJob from job", () => {
  const resolved = resolveProfile({ name: "x", job: { command: "true" }, longRunningJob });
  assert.deepEqual(resolved.pendingJob, { command: "true" });
  assert.deepEqual(resolved.stop, { status: "Finished", exitCodes: [143] });
  assert.deepEqual(resolved.kill, { status: "Killed", exitCodes: [137] });
  assert.deepEqual(resolved.config, {});
  assert.equal(resolved.user, "conformance");
  assert.deepEqual(
    [resolved.outputAvailable, resolved.networkAvailable, resolved.suspendSupported],
    [true, true, false],
  );
});

Deno.test("resolveProfile keeps what the profile sets", () => {
  const kill = { status: "Killed", exitCodes: [137, 143] } as const;
  const resolved = resolveProfile({ name: "slurm", longRunningJob, kill, outputTimeoutMs: 5 });
  assert.equal(resolved.kill, kill);
  assert.equal(resolved.outputTimeoutMs, 5);
  assert.deepEqual(resolved.pendingJob, PROFILE_DEFAULTS.job);
});

Deno.test("resolveProfile keeps a stop's exit codes and refuses a stop that is not Finished", () => {
  const resolved = resolveProfile({ name: "x", longRunningJob, stop: { exitCodes: [143, 0] } });
  assert.deepEqual(resolved.stop, { status: "Finished", exitCodes: [143, 0] });
  const killed = { status: "Killed", exitCodes: [143] } as unknown as { exitCodes: number[] };
  assert.throws(
    () => resolveProfile({ name: "slurm", longRunningJob, stop: killed }),
    /Cannot use conformance profile "slurm": a stopped job ends Finished on every plugin \(Stop is SIGTERM: Finished, exit 143\), got stop\.status "Killed"/,
  );
});

Deno.test("resolveProfile refuses a timeout that is not a positive number", () => {
  assert.throws(
    () => resolveProfile({ name: "x", longRunningJob, jobStartTimeoutMs: 0 }),
    /Cannot use conformance profile "x": jobStartTimeoutMs must be a positive number of ms, got 0/,
  );
  assert.throws(
    () => resolveProfile({ name: "x", longRunningJob, outputTimeoutMs: NaN }),
    RangeError,
  );
});

Deno.test("Default timeouts are the Go SDK's: start 30 s, complete 60 s, output 10 s", () => {
  assert.deepEqual(
    [
      PROFILE_DEFAULTS.jobStartTimeoutMs,
      PROFILE_DEFAULTS.jobCompleteTimeoutMs,
      PROFILE_DEFAULTS.outputTimeoutMs,
    ],
    [30_000, 60_000, 10_000],
  );
});

Deno.test("A terminal status is watched for 200 ms, as in the Go suite", () => {
  assert.equal(TERMINAL_WATCH_MS, 200);
});

Deno.test("An aborted stream gets 1 s to end, longer than the wait for its first item", () => {
  assert.equal(ABORT_GRACE_MS, 1_000);
  assert.ok(FIRST_ITEM_WAIT_MS <= ABORT_GRACE_MS);
});
