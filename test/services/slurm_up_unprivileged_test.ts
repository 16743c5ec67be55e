/**
 * scripts/slurm-up run by a user other than root skips: it says why, exits 77 (skipped),
 * and changes nothing (no .tools/ in the checkout). As root, the script runs from a copy
 * of the checkout's scripts as `nobody`.
 */
import assert from "node:assert/strict";
import { systemProgram } from "../_support/system_programs.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const NOBODY = 65534;

Deno.test("slurm-up as a user other than root skips with exit 77 and changes nothing", async () => {
  const checkout = await Deno.makeTempDir({ prefix: "launchbox-slurm-up-user-" });
  try {
    await Deno.chmod(checkout, 0o755);
    await Deno.mkdir(`${checkout}/scripts/lib`, { recursive: true });
    for (const name of ["slurm-up", "lib/ports.sh"]) {
      await Deno.copyFile(`${ROOT}scripts/${name}`, `${checkout}/scripts/${name}`);
      await Deno.chmod(`${checkout}/scripts/${name}`, 0o755);
    }
    const script = `${checkout}/scripts/slurm-up`;
    const asUser = Deno.uid() === 0
      ? [systemProgram("setpriv"), `--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups"]
      : [];
    const [program, ...args] = [...asUser, script];
    const out = await new Deno.Command(program!, {
      args,
      cwd: "/",
      clearEnv: true,
      env: { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: "/nonexistent" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(60_000),
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 77, stderr);
    assert.match(stderr, /^slurm-up: skipped: a private Slurm needs root/);
    assert.equal(new TextDecoder().decode(out.stdout), "", "no slurm.conf path");
    await assert.rejects(Deno.stat(`${checkout}/.tools`), Deno.errors.NotFound);
  } finally {
    await Deno.remove(checkout, { recursive: true });
  }
});
