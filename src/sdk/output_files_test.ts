import assert from "node:assert/strict";
import type { Clock, JobsHandle } from "./context.ts";
import type { Job } from "./job.ts";
import type { JobStatus } from "./job_status.ts";
import { LauncherError } from "./launcher_error.ts";
import { followOutputFiles } from "./output_files.ts";
import type { OutputChunk } from "./streams.ts";

/** A job whose status the test sets, and a clock whose sleep runs `onSleep` first. */
function fakes(job: Job, onSleep: () => Promise<void>, instanceDir = "/tmp") {
  let status: JobStatus = "Running";
  const jobs = { get: () => Promise.resolve({ ...job, status }) } as unknown as JobsHandle;
  const clock: Clock = { now: () => new Date(), sleep: () => onSleep() };
  return { ctx: { jobs, clock, instanceDir }, end: () => status = "Finished" };
}

/** The context of a job that has ended, whose instance directory is `dir`. */
function ended(job: Job, dir: string) {
  const { ctx, end } = fakes(job, () => Promise.resolve(), dir);
  end();
  return ctx;
}

async function collect(chunks: AsyncIterable<OutputChunk>): Promise<OutputChunk[]> {
  const all: OutputChunk[] = [];
  for await (const chunk of chunks) all.push(chunk);
  return all;
}

Deno.test("followOutputFiles follows both files until the job ends, splitting no character", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const job = { id: "7", stdoutFile: `${dir}/out`, stderrFile: `${dir}/err` } as Job;
    await Deno.writeTextFile(job.stdoutFile!, "first\n");
    const euro = new TextEncoder().encode("€");
    let polls = 0;
    const { ctx, end } = fakes(job, async () => {
      polls += 1;
      if (polls === 1) await Deno.writeFile(job.stdoutFile!, euro.subarray(0, 1), { append: true });
      if (polls === 2) {
        await Deno.writeFile(job.stdoutFile!, euro.subarray(1), { append: true });
        await Deno.writeTextFile(job.stderrFile!, "oops\n");
        end();
      }
    });
    const chunks = await collect(followOutputFiles(ctx, job, "both", new AbortController().signal));
    assert.deepEqual(chunks, [
      { output: "first\n", outputType: "stdout" },
      { output: "€", outputType: "stdout" },
      { output: "oops\n", outputType: "stderr" },
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("followOutputFiles reports one shared file as mixed, and an ended job without files", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const shared = { id: "8", stdoutFile: `${dir}/all`, stderrFile: `${dir}/all` } as Job;
    await Deno.writeTextFile(`${dir}/all`, "both\n");
    const { ctx, end } = fakes(shared, () => Promise.resolve());
    end();
    const signal = new AbortController().signal;
    assert.deepEqual(await collect(followOutputFiles(ctx, shared, "both", signal)), [
      { output: "both\n", outputType: "mixed" },
    ]);
    const gone = { id: "9", stdoutFile: `${dir}/none` } as Job;
    await assert.rejects(
      collect(followOutputFiles(ctx, gone, "stdout", signal)),
      (error) => error instanceof LauncherError && /Job 9 has no output files/.test(error.message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("followOutputFiles refuses an output file that is a link or a FIFO, naming the job and file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/elsewhere`, "another user's secret\n");
    await Deno.symlink(`${dir}/elsewhere`, `${dir}/out`);
    const linked = { id: "8", stdoutFile: `${dir}/out`, stderrFile: `${dir}/out` } as Job;
    const { ctx } = fakes(linked, () => Promise.resolve());
    await assert.rejects(
      collect(followOutputFiles(ctx, linked, "both", new AbortController().signal)),
      (error: unknown) =>
        error instanceof LauncherError &&
        error.message === `Cannot read output of job 8: "${dir}/out" is a link`,
    );
    await new Deno.Command("mkfifo", { args: [`${dir}/fifo`] }).output();
    const fifo = { id: "9", stdoutFile: `${dir}/fifo`, stderrFile: `${dir}/fifo` } as Job;
    await assert.rejects(
      collect(
        followOutputFiles(
          fakes(fifo, () => Promise.resolve()).ctx,
          fifo,
          "both",
          new AbortController().signal,
        ),
      ),
      /Cannot read output of job 9: ".*\/fifo" is not a regular file/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("followOutputFiles refuses a hard link to another file, and a file of another owner", async () => {
  const dir = await Deno.makeTempDir();
  const signal = new AbortController().signal;
  try {
    await Deno.writeTextFile(`${dir}/elsewhere`, "another user's secret\n");
    await Deno.link(`${dir}/elsewhere`, `${dir}/out`);
    const linked = { id: "8", stdoutFile: `${dir}/out`, stderrFile: `${dir}/out` } as Job;
    await assert.rejects(
      collect(followOutputFiles(ended(linked, dir), linked, "both", signal)),
      (error: unknown) =>
        error instanceof LauncherError &&
        error.message === `Cannot read output of job 8: "${dir}/out" has 2 hard links`,
    );
    if (Deno.uid() !== 0) return; // Giving a file to another owner needs root.
    await Deno.writeTextFile(`${dir}/theirs`, "written by someone else\n");
    await Deno.chown(`${dir}/theirs`, 65534, 65534);
    const foreign = { id: "9", stdoutFile: `${dir}/theirs`, stderrFile: `${dir}/theirs` } as Job;
    await assert.rejects(
      collect(followOutputFiles(ended(foreign, dir), foreign, "both", signal)),
      (error: unknown) =>
        error instanceof LauncherError &&
        error.message ===
          `Cannot read output of job 9: "${dir}/theirs" is owned by uid 65534, not by the runner's user (uid 0, the owner of its instance directory)`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
