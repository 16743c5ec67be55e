import assert from "node:assert/strict";
import { SLURM_JOB_ID_KEY as CLIENT_KEY } from "../../src/cli/client/tables.ts";
import { SLURM_JOB_ID_KEY } from "../../plugins/slurm/submit_job.ts";

Deno.test("client jobs reads the Slurm job ID under the key the slurm plugin writes", () => {
  assert.equal(CLIENT_KEY, SLURM_JOB_ID_KEY);
});
