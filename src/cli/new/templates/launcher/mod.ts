/**
 * A queueing shell plugin: each job's command runs under `/bin/sh` in its own process
 * group, with its output in files under the instance directory; beyond `max-running`
 * jobs wait Pending in a queue. Stop and kill signal the whole process group, so nothing
 * the command started outlives the job. Jobs outlive the plugin: each records its exit
 * code in a file, and `recover` re-adopts the process groups still running after a restart.
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
/** How often a job re-adopted after a restart is checked for its end. */
const ADOPTED_POLL_MS = 1_000;

interface Running {
  readonly pgid: number;
  requested?: "stop" | "kill";
  readonly exited: Promise<void>;
}

export default definePlugin((ctx) => {
  const maxRunning = Number(ctx.config["max-running"] ?? 4) || 4;
  const running = new Map<string, Running>();
  const queue: Job[] = [];
  const closed = new AbortController(); // a closed instance reports nothing more

  const launchQueued = () => {
    while (queue.length > 0 && running.size < maxRunning) {
      const job = queue.shift()!;
      void ctx.jobs.update(job.id, start(ctx, job, running, closed.signal, launchQueued));
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
      return {
        ...paths,
        ...start(ctx, { ...job, ...paths }, running, closed.signal, launchQueued),
      };
    },
    // After a restart: queued jobs queue again, running ones are watched by process group.
    async recover(jobs) {
      for (const job of jobs) {
        if (job.status === "Pending") queue.push(job);
        else if (job.pid) adopt(ctx, job, running, closed.signal, launchQueued);
        else await ctx.jobs.update(job.id, { status: "Failed", statusMessage: "Lost its process" });
      }
      launchQueued();
    },
    async close() {
      closed.abort();
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

function outputFiles(ctx: PluginContext, job: Job) {
  const dir = `${ctx.instanceDir}/jobs/${job.id}`;
  return {
    stdout: job.stdoutFile || `${dir}/stdout`,
    stderr: job.stderrFile || `${dir}/stderr`,
    exitCode: `${dir}/exit-code`,
  };
}

/** Starts a job's command as the leader of a new process group and watches it end. */
function start(
  ctx: PluginContext,
  job: Job,
  running: Map<string, Running>,
  closed: AbortSignal,
  onEnd: () => void,
): JobUpdate {
  const files = outputFiles(ctx, job);
  const child = new Deno.Command("/bin/sh", {
    // $1 and $2 are the output files, $3 the command, $4 the exit code's file: no quoting
    // of user input needed. The exit code outlives this plugin, for recover().
    args: [
      "-c",
      'exec >>"$1" 2>>"$2"; /bin/sh -c "$3"; code=$?; echo "$code" >"$4"; exit "$code"',
      "sh",
      files.stdout,
      files.stderr,
      job.command ?? job.exe ?? "true",
      files.exitCode,
    ],
    cwd: job.workingDirectory || ctx.instanceDir,
    env: Object.fromEntries((job.environment ?? []).map(({ name, value }) => [name, value])),
    detached: true,
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  watch(ctx, job, running, { pgid: child.pid, ended: child.status.then((s) => s.code) }, {
    closed,
    onEnd,
  });
  return { status: "Running", statusMessage: "Running", pid: child.pid };
}

/** Watches a job that kept running while the plugin was down: polls its process group. */
function adopt(
  ctx: PluginContext,
  job: Job,
  running: Map<string, Running>,
  closed: AbortSignal,
  onEnd: () => void,
): void {
  const pgid = job.pid!;
  const ended = (async () => {
    while (!closed.aborted && await groupAlive(pgid)) await ctx.clock.sleep(ADOPTED_POLL_MS);
    const recorded = await Deno.readTextFile(outputFiles(ctx, job).exitCode).catch(() => "");
    return recorded.trim() === "" ? undefined : Number(recorded);
  })();
  watch(ctx, job, running, { pgid, ended }, { closed, onEnd });
}

/** Tracks a running job until `ended` gives its exit code, then reports how it ended. */
function watch(
  ctx: PluginContext,
  job: Job,
  running: Map<string, Running>,
  process: { pgid: number; ended: Promise<number | undefined> },
  o: { closed: AbortSignal; onEnd: () => void },
): void {
  const entry: Running = {
    pgid: process.pgid,
    exited: process.ended.then(async (code) => {
      running.delete(job.id);
      if (o.closed.aborted) return; // the next instance's recover() takes over
      await ctx.jobs.update(job.id, ending(entry.requested, code));
      o.onEnd();
    }),
  };
  running.set(job.id, entry);
}

function ending(requested: "stop" | "kill" | undefined, code: number | undefined): JobUpdate {
  if (requested === "kill") return { status: "Killed", exitCode: 137, statusMessage: "Killed" };
  if (requested === "stop") return { status: "Finished", exitCode: 143, statusMessage: "Stopped" };
  if (code === undefined) {
    return {
      status: "Failed",
      statusMessage: "Ended while the plugin was down, exit code unknown",
    };
  }
  return { status: "Finished", exitCode: code, statusMessage: `Exited with ${code}` };
}

/** `Deno.kill` would need unrestricted run permission; the plugin may run only /bin/sh. */
async function signalGroup(pgid: number, signal: "TERM" | "KILL"): Promise<void> {
  await new Deno.Command("/bin/sh", { args: ["-c", `kill -${signal} -${pgid}`] }).output();
}

/** Whether any process of the group is left (`kill -0` signals nothing, it only checks). */
async function groupAlive(pgid: number): Promise<boolean> {
  const check = new Deno.Command("/bin/sh", { args: ["-c", `kill -0 -${pgid} 2>/dev/null`] });
  return (await check.output()).success;
}
