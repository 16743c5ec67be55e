/**
 * A queueing shell plugin: each job's command runs under `/bin/sh` in its own process
 * group, with its output in files under the instance directory; beyond `max-running`
 * jobs wait Pending in a queue. Stop and kill signal the whole process group, so nothing
 * the command started outlives the job.
 *
 * @module
 */
import {
  type ControlResult,
  definePlugin,
  ErrorCode,
  followOutputFiles,
  type Job,
  type JobUpdate,
  LauncherError,
  type PluginContext,
} from "@launchbox/sdk";

/** How long a stop or kill waits for the job to end before answering "requested". */
const CONTROL_WAIT_MS = 3_000;

interface Running {
  readonly pgid: number;
  requested?: "stop" | "kill";
  readonly exited: Promise<void>;
}

export default definePlugin((ctx) => {
  const maxRunning = Number(ctx.config["max-running"] ?? 4) || 4;
  const running = new Map<string, Running>();
  const queue: Job[] = [];

  const launchQueued = () => {
    while (queue.length > 0 && running.size < maxRunning) {
      const job = queue.shift()!;
      void ctx.jobs.update(job.id, start(ctx, job, running, launchQueued));
    }
  };

  return {
    async submitJob(job) {
      const files = outputFiles(ctx, job);
      await Deno.mkdir(`${ctx.instanceDir}/jobs/${job.id}`, { recursive: true });
      const paths = { stdoutFile: files.stdout, stderrFile: files.stderr };
      if (running.size >= maxRunning) {
        queue.push({ ...job, ...paths });
        return { ...paths, statusMessage: `Queued behind ${running.size} running jobs` };
      }
      return { ...paths, ...start(ctx, { ...job, ...paths }, running, launchQueued) };
    },
    async controlJob(job, operation): Promise<ControlResult> {
      if (operation === "cancel") {
        const index = queue.findIndex((queued) => queued.id === job.id);
        if (index === -1) return { statusMessage: "Job is not queued", operationComplete: false };
        queue.splice(index, 1);
        await ctx.jobs.update(job.id, { status: "Canceled", statusMessage: "Canceled" });
        return { statusMessage: "Job Cancel successful", operationComplete: true };
      }
      if (operation === "suspend" || operation === "resume") {
        throw new LauncherError(ErrorCode.RequestNotSupported, `Cannot ${operation} jobs`);
      }
      const entry = running.get(job.id);
      if (!entry) return { statusMessage: "Job has no process", operationComplete: false };
      entry.requested = operation;
      // The minus sign signals the process group: the shell and all it started.
      await signalGroup(entry.pgid, operation === "stop" ? "TERM" : "KILL");
      const ended = await Promise.race([
        entry.exited.then(() => true),
        ctx.clock.sleep(CONTROL_WAIT_MS).then(() => false),
      ]);
      return {
        statusMessage: `Job ${operation} ${ended ? "successful" : "requested"}`,
        operationComplete: ended,
      };
    },
    jobOutput: (job, wanted, { signal }) => followOutputFiles(ctx, job, wanted, signal),
    async clusterInfo() {
      return { queues: ["default"], defaultQueue: "default" };
    },
  };
});

function outputFiles(ctx: PluginContext, job: Job): { stdout: string; stderr: string } {
  const dir = `${ctx.instanceDir}/jobs/${job.id}`;
  return { stdout: job.stdoutFile || `${dir}/stdout`, stderr: job.stderrFile || `${dir}/stderr` };
}

/** Starts a job's command as the leader of a new process group and watches it end. */
function start(
  ctx: PluginContext,
  job: Job,
  running: Map<string, Running>,
  onEnd: () => void,
): JobUpdate {
  const files = outputFiles(ctx, job);
  const child = new Deno.Command("/bin/sh", {
    // $1 and $2 are the output files, $3 the command: no quoting of user input needed.
    args: [
      "-c",
      'exec >>"$1" 2>>"$2"; exec /bin/sh -c "$3"',
      "sh",
      files.stdout,
      files.stderr,
      job.command ?? job.exe ?? "true",
    ],
    cwd: job.workingDirectory || ctx.instanceDir,
    env: Object.fromEntries((job.environment ?? []).map(({ name, value }) => [name, value])),
    detached: true,
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const entry: Running = {
    pgid: child.pid,
    exited: child.status.then(async (status) => {
      running.delete(job.id);
      await ctx.jobs.update(job.id, ending(entry.requested, status));
      onEnd();
    }),
  };
  running.set(job.id, entry);
  return { status: "Running", statusMessage: "Running", pid: child.pid };
}

function ending(requested: "stop" | "kill" | undefined, status: Deno.CommandStatus): JobUpdate {
  if (requested === "kill") return { status: "Killed", exitCode: 137, statusMessage: "Killed" };
  if (requested === "stop") return { status: "Finished", exitCode: 143, statusMessage: "Stopped" };
  return { status: "Finished", exitCode: status.code, statusMessage: `Exited with ${status.code}` };
}

/** `Deno.kill` would need unrestricted run permission; the plugin may run only /bin/sh. */
async function signalGroup(pgid: number, signal: "TERM" | "KILL"): Promise<void> {
  await new Deno.Command("/bin/sh", { args: ["-c", `kill -${signal} -${pgid}`] }).output();
}
