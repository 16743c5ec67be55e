import type { PluginContext } from "./context.ts";
import type { Job } from "./job.ts";
import { isTerminalStatus } from "./job_status.ts";
import { ErrorCode, LauncherError } from "./launcher_error.ts";
import type { OutputChunk, OutputRequest } from "./streams.ts";

/** How often output files are checked for new bytes while a job runs, by default. */
export const OUTPUT_POLL_MS = 200;
/** Reads at most this much per file per poll, so one chunk stays small. */
const READ_BYTES = 256 * 1024;

interface Source {
  readonly jobId: string;
  readonly path: string;
  /** The uid every output file must have: the runner's, which owns its instance directory. */
  readonly owner: number | null;
  readonly type: OutputChunk["outputType"];
  offset: number;
  readonly decoder: TextDecoder;
}

/**
 * Follows a job's `stdoutFile`/`stderrFile` from the start until the job has ended, like
 * `tail -f`, for plugins whose scheduler writes output to files. stdout and stderr that
 * share one file are reported as `mixed`. Throws JobOutputNotFound when an ended job left
 * no file at all, and when an output file is not a regular file: a link, FIFO or device
 * put in its place (by the job's user, say) is refused, as is a hard link (more than one
 * name), a file owned by another uid than the runner's (the owner of `ctx.instanceDir`)
 * and a file swapped between the check and the open, so a runner never reads another file
 * on a job's behalf.
 *
 * @example
 * ```ts
 * import { definePlugin, followOutputFiles } from "./mod.ts";
 * export default definePlugin((ctx) => ({
 *   async submitJob() {
 *     return { status: "Running", stdoutFile: "/tmp/out.log", stderrFile: "/tmp/err.log" };
 *   },
 *   async controlJob() {
 *     return { statusMessage: "ok", operationComplete: true };
 *   },
 *   jobOutput: (job, wanted, { signal }) => followOutputFiles(ctx, job, wanted, signal),
 *   async clusterInfo() {
 *     return { queues: ["default"] };
 *   },
 * }));
 * ```
 */
export async function* followOutputFiles(
  ctx: Pick<PluginContext, "jobs" | "clock" | "instanceDir">,
  job: Job,
  wanted: OutputRequest,
  signal: AbortSignal,
  options: { pollMs?: number } = {},
): AsyncIterable<OutputChunk> {
  const owner = (await Deno.stat(ctx.instanceDir)).uid;
  const sources = sourcesFor(job, wanted, owner);
  const pollMs = options.pollMs ?? OUTPUT_POLL_MS;
  while (!signal.aborted) {
    const ended = isTerminalStatus((await ctx.jobs.get(job.id))?.status ?? "Finished");
    for (const source of sources) yield* readNew(source);
    if (ended) {
      if (sources.every((s) => s.offset === 0) && !(await anyExists(sources))) {
        throw new LauncherError(
          ErrorCode.JobOutputNotFound,
          `Job ${job.id} has no output files (${sources.map((s) => s.path).join(", ")})`,
        );
      }
      return;
    }
    await ctx.clock.sleep(pollMs, signal).catch(() => {});
  }
}

function sourcesFor(job: Job, wanted: OutputRequest, owner: number | null): Source[] {
  const make = (path: string, type: Source["type"]): Source => ({
    jobId: job.id,
    path,
    owner,
    type,
    offset: 0,
    decoder: new TextDecoder(),
  });
  const stdout = job.stdoutFile ?? "";
  const stderr = job.stderrFile ?? "";
  if (wanted === "both" && stdout === stderr) return [make(stdout, "mixed")];
  const sources: Source[] = [];
  if (wanted !== "stderr") sources.push(make(stdout, "stdout"));
  if (wanted !== "stdout") sources.push(make(stderr, "stderr"));
  return sources;
}

async function* readNew(source: Source): AsyncIterable<OutputChunk> {
  const file = await openChecked(source);
  if (!file) return;
  try {
    await file.seek(source.offset, Deno.SeekMode.Start);
    const buffer = new Uint8Array(READ_BYTES);
    while (true) {
      const read = await file.read(buffer);
      if (read === null || read === 0) return;
      source.offset += read;
      const output = source.decoder.decode(buffer.subarray(0, read), { stream: true });
      if (output) yield { output, outputType: source.type };
    }
  } finally {
    file.close();
  }
}

/**
 * Opens an output file only if it is a regular file with one name (not a symbolic or hard
 * link), owned by the runner's uid, and is still that same file (device and inode) once
 * open; `undefined` while it does not exist.
 */
async function openChecked(source: Source): Promise<Deno.FsFile | undefined> {
  let before: Deno.FileInfo;
  try {
    before = await Deno.lstat(source.path);
  } catch {
    return undefined;
  }
  const refuse = (why: string): never => {
    throw new LauncherError(
      ErrorCode.JobOutputNotFound,
      `Cannot read output of job ${source.jobId}: "${source.path}" ${why}`,
    );
  };
  if (!before.isFile) refuse(before.isSymlink ? "is a link" : "is not a regular file");
  let file: Deno.FsFile;
  try {
    file = await Deno.open(source.path, { read: true });
  } catch {
    return undefined;
  }
  const after = await file.stat();
  const problem = after.dev !== before.dev || after.ino !== before.ino || !after.isFile
    ? "was replaced while it was being opened"
    : linkOrOwnerProblem(after, source.owner);
  if (problem) {
    file.close();
    refuse(problem);
  }
  return file;
}

/** Why an open output file is not the job's own: another name for it, or another owner. */
function linkOrOwnerProblem(info: Deno.FileInfo, owner: number | null): string | undefined {
  if ((info.nlink ?? 1) !== 1) return `has ${info.nlink} hard links`;
  if (owner !== null && info.uid !== owner) {
    return `is owned by uid ${info.uid}, not by the runner's user (uid ${owner}, the owner of its instance directory)`;
  }
  return undefined;
}

async function anyExists(sources: Source[]): Promise<boolean> {
  for (const source of sources) {
    if (await Deno.stat(source.path).then(() => true, () => false)) return true;
  }
  return false;
}
