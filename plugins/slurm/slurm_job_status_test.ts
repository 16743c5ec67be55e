import assert from "node:assert/strict";
import { jobUpdateFor } from "./slurm_job_status.ts";
import { parseSqueueRows, type SlurmJobRow } from "./slurm_parse.ts";

const rows = parseSqueueRows(
  await Deno.readTextFile(new URL("./testdata/squeue_states.txt", import.meta.url)),
);
const row = (jobId: string) => rows.find((r) => r.jobId === jobId)!;
const made = (state: string, extra: Partial<SlurmJobRow> = {}): SlurmJobRow => ({
  jobId: "9",
  state,
  reason: "None",
  exit: { code: 0, signal: 0 },
  batchHost: "vm",
  partition: "debug",
  ...extra,
});

Deno.test("jobUpdateFor maps waiting, running and suspended jobs", () => {
  assert.deepEqual(jobUpdateFor(row("68")), {
    status: "Pending",
    statusCode: "PENDING",
    statusMessage: "Waiting in Slurm: BeginTime",
    queues: ["debug"],
  });
  assert.deepEqual(jobUpdateFor(row("69")), {
    status: "Running",
    statusCode: "RUNNING",
    statusMessage: "Running",
    host: "vm",
    queues: ["debug"],
  });
  assert.equal(jobUpdateFor(row("70"))?.status, "Suspended");
  assert.equal(jobUpdateFor(made("COMPLETING"))?.status, "Running");
});

Deno.test("jobUpdateFor reports a job that exited, with any code, as Finished", () => {
  const completed = jobUpdateFor(row("2"));
  assert.equal(completed?.status, "Finished");
  assert.equal(completed?.exitCode, 0);
  assert.equal(completed?.statusMessage, "Completed");
  const failed = jobUpdateFor(row("1"));
  assert.equal(failed?.status, "Finished");
  assert.equal(failed?.exitCode, 3);
  assert.equal(failed?.statusMessage, "Exited with code 3");
});

Deno.test("jobUpdateFor reports a cancelled job as Canceled before it ran and Killed after", () => {
  const canceled = jobUpdateFor(row("3"));
  assert.equal(canceled?.status, "Canceled");
  assert.equal(canceled?.exitCode, undefined);
  const killed = jobUpdateFor(row("5"), { requested: "kill" });
  assert.equal(killed?.status, "Killed");
  assert.equal(killed?.exitCode, 143);
  assert.equal(killed?.statusMessage, "Killed");
});

Deno.test("jobUpdateFor reports a stopped job as Finished with 143, as every bundled plugin does", () => {
  const stopped = jobUpdateFor(row("4"), { requested: "stop", ran: true });
  assert.deepEqual([stopped?.status, stopped?.exitCode, stopped?.statusMessage], [
    "Finished",
    143,
    "Stopped",
  ]);
  const cancelled = jobUpdateFor(made("CANCELLED"), { requested: "stop", ran: true });
  assert.deepEqual([cancelled?.status, cancelled?.exitCode], ["Finished", 143]);
  const trapped = jobUpdateFor(made("COMPLETED"), { requested: "stop", ran: true });
  assert.deepEqual([trapped?.status, trapped?.exitCode], ["Finished", 0], "it exited by itself");
  const escalated = jobUpdateFor(
    made("CANCELLED", { exit: { code: 0, signal: 9 } }),
    { requested: "stop", ran: true },
  );
  assert.deepEqual(
    [escalated?.status, escalated?.exitCode],
    ["Killed", 137],
    "SIGKILL after KillWait",
  );
});

Deno.test("jobUpdateFor reports a job ended by a signal nobody asked for as Killed with 128+signal", () => {
  const signalled = jobUpdateFor(row("4"));
  assert.deepEqual([signalled?.status, signalled?.exitCode], ["Killed", 143]);
  assert.equal(signalled?.statusMessage, "Ended by signal 15");
  assert.equal(jobUpdateFor(made("OUT_OF_MEMORY"))?.exitCode, 137);
});

Deno.test("jobUpdateFor maps limits to Killed and cluster failures to Failed", () => {
  const timeout = jobUpdateFor(made("TIMEOUT", { exit: { code: 0, signal: 9 } }));
  assert.deepEqual([timeout?.status, timeout?.exitCode], ["Killed", 137]);
  assert.equal(timeout?.statusMessage, "Reached its time limit");
  assert.equal(jobUpdateFor(made("OUT_OF_MEMORY"))?.status, "Killed");
  assert.equal(jobUpdateFor(made("DEADLINE", { batchHost: "" }))?.status, "Failed");
  assert.equal(jobUpdateFor(made("NODE_FAIL"))?.status, "Failed");
  assert.equal(
    jobUpdateFor(made("BOOT_FAIL", { batchHost: "" }))?.statusMessage,
    "Its node failed to boot",
  );
  const launch = jobUpdateFor(
    made("FAILED", { reason: "JobLaunchFailure", exit: { code: 1, signal: 0 } }),
  );
  assert.equal(launch?.status, "Failed");
  assert.equal(launch?.statusMessage, "Slurm could not run it: JobLaunchFailure");
});

Deno.test("jobUpdateFor leaves states it does not know alone", () => {
  assert.equal(jobUpdateFor(made("SOMETHING_NEW")), undefined);
});
