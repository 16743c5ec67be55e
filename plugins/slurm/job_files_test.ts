import assert from "node:assert/strict";
import { jobFiles, jobFilesRoot } from "./job_files.ts";

Deno.test("jobFiles puts input and output beside each other unless the job names its files", () => {
  assert.deepEqual(jobFiles("/i", { id: "3" }), {
    dir: "/i/jobs/3",
    stdin: "/i/jobs/3/stdin",
    stdout: "/i/jobs/3/stdout",
    stderr: "/i/jobs/3/stderr",
  });
  const named = jobFiles("/i", { id: "3", stdoutFile: "/home/a/out", stderrFile: "/home/a/out" });
  assert.equal(named.stdout, "/home/a/out");
  assert.equal(named.stderr, "/home/a/out");
});

Deno.test("jobFilesRoot uses the instance directory unless output-dir=home", () => {
  assert.equal(jobFilesRoot({}, "/scratch/i", "/home/a"), "/scratch/i");
  assert.equal(
    jobFilesRoot({ "output-dir": "home" }, "/scratch/i", "/home/a"),
    "/home/a/.launchbox/slurm",
  );
  assert.throws(
    () => jobFilesRoot({ "output-dir": "home" }, "/scratch/i", undefined),
    /HOME is not set/,
  );
});
