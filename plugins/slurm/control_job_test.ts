import assert from "node:assert/strict";
import type { Job, PluginContext } from "@launchbox/sdk";
import { controlJob } from "./control_job.ts";
import { type SlurmCli, SlurmCommandError, type SlurmProgram } from "./slurm_cli.ts";
import type { JobTracker } from "./job_tracker.ts";

/** A Slurm whose `scancel` answers from a script, and a tracker whose waits answer in turn. */
function fakes(scancel: (call: number) => string | Error, waits: boolean[]) {
  const calls: string[] = [];
  const cli = {
    run(program: SlurmProgram, args: readonly string[]) {
      calls.push([program, ...args].join(" "));
      const answer = scancel(calls.length);
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  } as unknown as SlurmCli;
  const tracker = {
    slurmId: () => "9",
    requested: () => {},
    startedWithin: () => true,
    pollNow: () => Promise.resolve(),
    waitForEnd: () => Promise.resolve(waits.shift() ?? false),
  } as unknown as JobTracker;
  const ctx = { log: { info: () => {} } } as unknown as PluginContext;
  return { calls, deps: { ctx, cli, tracker } };
}

const job = { id: "job-1" } as Job;
const purged = () =>
  new SlurmCommandError(
    "scancel --signal=KILL 9",
    1,
    "scancel: error: Kill job error on job id 9: Invalid job id specified",
  );

Deno.test("kill: a job Slurm forgets between the two signals ends the kill as done", async () => {
  const { calls, deps } = fakes((n) => n === 1 ? "" : purged(), [false, true]);
  const result = await controlJob(deps, job, "kill");
  assert.deepEqual(calls, ["scancel --signal=KILL 9", "scancel --signal=KILL 9"]);
  assert.deepEqual(result, { statusMessage: "Job Kill successful", operationComplete: true });
});

Deno.test("kill: a first signal Slurm refuses because the job ended is InvalidJobState", async () => {
  const { deps } = fakes(() => purged(), []);
  await assert.rejects(controlJob(deps, job, "kill"), /it has already ended/);
});

Deno.test("kill: any other failure of the second signal is reported", async () => {
  const denied = new SlurmCommandError("scancel", 1, "scancel: error: Access/permission denied");
  const { deps } = fakes((n) => n === 1 ? "" : denied, [false]);
  await assert.rejects(controlJob(deps, job, "kill"), /not permitted/);
});
