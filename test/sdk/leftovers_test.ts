import assert from "node:assert/strict";
import { resolveProfile } from "../../src/sdk/testing/conformance_profile.ts";
import { createTestHost } from "../../src/sdk/testing/create_test_host.ts";
import { checkKill, checkStop } from "../../src/sdk/testing/_workflow_checks.ts";
import signalsOnlyShell from "../fixtures/launcher_plugins/signals_only_shell/mod.ts";

const profile = resolveProfile({
  name: "signals only shell",
  longRunningJob: { command: "sleep 3600" },
  jobStartTimeoutMs: 5_000,
  jobCompleteTimeoutMs: 1_000,
});

/** Runs a check that must fail, and kills the processes its message names. */
async function failsNamingSurvivors(check: Promise<unknown>, pattern: RegExp): Promise<void> {
  const error = await check.then(() => undefined, (error: Error) => error);
  for (const [, pid] of error?.message.matchAll(/pid (\d+)/g) ?? []) {
    try {
      Deno.kill(Number(pid), "SIGKILL");
    } catch {
      // already gone
    }
  }
  assert.ok(error, "the check passed a plugin that leaves its workload running");
  assert.match(error.message, pattern);
}

for (const detached of ["1", "0"]) {
  const where = detached === "1" ? "in its own process group" : "in the test's process group";
  Deno.test(`Stop fails a plugin that signals only its shell (shell ${where})`, async () => {
    await using host = await createTestHost(signalsOnlyShell, { config: { detached } });
    await failsNamingSurvivors(
      checkStop(host, profile),
      /^Stop of job "1" left pid \d+ \(sleep 3600\) running 1000 ms after the job ended as Finished; signal the job's whole process group/,
    );
  });
}

Deno.test("Kill fails a plugin that SIGKILLs only its shell", async () => {
  await using host = await createTestHost(signalsOnlyShell, { config: {} });
  await failsNamingSurvivors(
    checkKill(host, profile),
    /^Kill of job "1" left pid \d+ \(sleep 3600\) running .* ended as Killed/,
  );
});

Deno.test("Stop and Kill pass a plugin that signals the job's process group", async () => {
  await using host = await createTestHost(signalsOnlyShell, { config: { group: "1" } });
  assert.equal(await checkStop(host, profile), undefined);
  assert.equal(await checkKill(host, profile), undefined);
});

Deno.test("A profile's leftovers hook reports what a scheduler left, by name", async () => {
  await using host = await createTestHost(signalsOnlyShell, { config: { group: "1" } });
  const hooked = resolveProfile({
    ...profile,
    leftovers: async (job) => [`step ${job.id}.0 on node-3`],
  });
  await assert.rejects(
    checkStop(host, hooked),
    /^Error: Stop of job "1" left step 1\.0 on node-3 running/,
  );
});
