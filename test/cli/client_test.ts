import assert from "node:assert/strict";
import { runLaunchbox } from "../_support/host_process.ts";

import { ensureTestUsers, TEST_USERS } from "../_support/system_users.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test("client demo drives a whole session and exits 0", opts, async () => {
  const { code, stdout } = await runLaunchbox(["client", "demo"]);
  assert.equal(code, 0);
  assert.match(stdout, /plugin speaks API 3\.6\.0/);
  assert.match(stdout, /status: job 1 Finished/);
  assert.match(stdout, /stdout: Line 1 from stdout/);
  assert.match(stdout, /job 2 "notebook" Finished, exit code 143/);
});

const skip = await ensureTestUsers();

Deno.test({
  name: `client commands share jobs through their scratch path${skip ? ` (skipped: ${skip})` : ""}`,
  ignore: skip !== undefined,
  ...opts,
}, async () => {
  const scratch = await Deno.makeTempDir({ prefix: "launchbox-client-" });
  const common = ["--plugin-name=local", `--scratch-path=${scratch}`, `--user=${TEST_USERS[0]}`];
  try {
    const submitted = await runLaunchbox([
      "client",
      "submit",
      "--command",
      "echo from local",
      "--wait",
      ...common,
    ]);
    assert.equal(submitted.code, 0, submitted.stderr);
    assert.match(
      submitted.stdout,
      /^job 1 (Running|Finished)\n[\s\S]*job 1 Finished \(Completed\)\n$/,
    );
    const jobs = await runLaunchbox(["client", "jobs", ...common]);
    assert.match(
      jobs.stdout,
      /^ID\s+STATUS\s+EXIT\s+USER\s+NAME\n1\s+Finished\s+0\s+lbtest_alice\s+echo from local\n$/,
    );
    const output = await runLaunchbox(["client", "output", "1", ...common]);
    assert.equal(output.stdout, "from local\n");
    const control = await runLaunchbox(["client", "control", "1", "stop", ...common]);
    assert.equal(control.code, 1);
    assert.match(control.stderr, /Launcher error 8: Job must be running to stop it/);
  } finally {
    await Deno.remove(scratch, { recursive: true });
  }
});

Deno.test("client refuses unknown commands and options with exit 2", opts, async () => {
  const unknown = await runLaunchbox(["client", "frobnicate"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /Unknown client command "frobnicate"/);
  const badOption = await runLaunchbox(["client", "jobs", "--colour"]);
  assert.equal(badOption.code, 2);
  assert.match(badOption.stderr, /--colour/);
});
