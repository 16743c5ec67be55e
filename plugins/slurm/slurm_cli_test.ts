import assert from "node:assert/strict";
import { SlurmCli, SlurmCommandError } from "./slurm_cli.ts";

/** A directory of fake Slurm programs (shell scripts), removed on dispose. */
async function fakeBin(scripts: Record<string, string>) {
  const dir = await Deno.makeTempDir({ prefix: "slurm-cli-test-" });
  for (const [name, body] of Object.entries(scripts)) {
    await Deno.writeTextFile(`${dir}/${name}`, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  }
  return { dir, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

Deno.test("SlurmCli returns stdout and passes stdin", async () => {
  await using bin = await fakeBin({ sbatch: 'read -r line; echo "42;$line $1"' });
  const out = await new SlurmCli(bin.dir).run("sbatch", ["--parsable"], { stdin: "cluster\n" });
  assert.equal(out, "42;cluster --parsable\n");
});

Deno.test("SlurmCli names the command and its stderr when it fails", async () => {
  await using bin = await fakeBin({ scancel: "echo 'scancel: error: Invalid job id' >&2; exit 1" });
  const error = await new SlurmCli(bin.dir).run("scancel", ["99"]).catch((e) => e);
  assert.ok(error instanceof SlurmCommandError);
  assert.equal(error.code, 1);
  assert.equal(
    error.message,
    'Cannot run "scancel 99": exit code 1: scancel: error: Invalid job id',
  );
});

Deno.test("SlurmCli gives up on a command that outlives its timeout", async () => {
  await using bin = await fakeBin({ squeue: "exec sleep 30" });
  const error = await new SlurmCli(bin.dir).run("squeue", [], { timeoutMs: 100 }).catch((e) => e);
  assert.ok(error instanceof SlurmCommandError);
  assert.match(error.message, /"squeue": .*timed out after 100 ms/);
});

Deno.test("SlurmCli reports a program that is not installed", async () => {
  const error = await new SlurmCli("/nonexistent").run("sinfo", ["-h"]).catch((e) => e);
  assert.ok(error instanceof SlurmCommandError);
  assert.match(error.message, /^Cannot run "sinfo -h"/);
});
