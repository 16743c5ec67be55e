import assert from "node:assert/strict";
import { waitExitStatus } from "./commands.ts";

Deno.test("submit --wait exits 0 only for a clean finish, else with the job's code or 1", () => {
  assert.equal(waitExitStatus("Finished", 0), 0);
  assert.equal(waitExitStatus("Finished", undefined), 0);
  assert.equal(waitExitStatus("Finished", 3), 3);
  assert.equal(waitExitStatus("Finished", 143), 143);
  assert.equal(waitExitStatus("Killed", 137), 137);
  assert.equal(waitExitStatus("Failed", undefined), 1);
  assert.equal(waitExitStatus("Failed", 0), 1, "a Failed job never exits 0");
  assert.equal(waitExitStatus("Canceled", undefined), 1);
  assert.equal(waitExitStatus("Finished", 256), 1, "out of an exit status's range");
  assert.equal(waitExitStatus("Finished", -1), 1);
  assert.equal(waitExitStatus("Finished", 2.5), 1);
});
