import { parseArgs } from "node:util";
import { writeStderr, writeStdout } from "../exit.ts";
import { UsageError } from "../usage_error.ts";
import {
  connectBackgroundHost,
  runningHost,
  startBackgroundHost,
  stopBackgroundHost,
} from "./background_host.ts";
import { HOST_OPTIONS } from "./command_table.ts";
import { type HostConfig, hostPaths } from "./host_config.ts";
import { hostConfigFrom, stopCommand } from "./host_options.ts";
import { serveClientHost } from "./serve.ts";
import { stopJobs, unfinishedJobs } from "./unfinished_jobs.ts";

/** `launchbox client host --help`. */
export const HOST_HELP = `launchbox client host start|stop|status [options]

  The background host that keeps jobs alive between client commands: one per scratch
  path, running one plugin host, detached from the terminal. Client commands start it
  when none runs; \`host start\` does so explicitly.

  start    start it (nothing to do when it runs)
  stop     stop it as the Launcher stops a plugin host: it drains and stops its plugins.
           It says how many jobs are unfinished: they stay with the plugin (what it runs
           outside itself, such as local's processes, keeps running) and the next host
           hands them back to it; a plugin without recover() fails them then.
           --stop-jobs cancels the Pending jobs and stops the Running ones first (exit
           code 1 when one does not end)
  status   say whether it runs (exit code 0) or not (exit code 3)

Options:
  --plugin-name N, --plugins-dir D, --config-file F, --scratch-path S
           as for the other client commands (see launchbox client submit --help)

It listens on <scratch>/client-host/host.sock (mode 0600, in a 0700 directory) and logs
to <scratch>/client-host/host.log; the plugin host's log is in <scratch>/log.
`;

const { user: _user, ...HOST_ONLY } = HOST_OPTIONS;
const OPTIONS = { ...HOST_ONLY, "stop-jobs": { type: "boolean" } } as const;

/** Exit code of `client host status` when no host runs (as LSB init scripts use). */
const EXIT_NOT_RUNNING = 3;

/** `launchbox client host start|stop|status|serve`. */
export async function runHostCommand(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  if (action === undefined || action === "--help" || action === "-h" || action === "help") {
    writeStdout(HOST_HELP);
    return action === undefined ? 2 : 0;
  }
  const values = parse(rest);
  if (values.help) {
    writeStdout(HOST_HELP);
    return 0;
  }
  if (values["stop-jobs"] && action !== "stop") {
    throw new UsageError(`--stop-jobs is an option of client host stop, not of "${action}"`);
  }
  const config = hostConfigFrom(values);
  switch (action) {
    case "start":
      return await start(config);
    case "stop":
      return await stop(config, values["stop-jobs"] === true);
    case "status":
      return status(config);
    case "serve": // internal: what start runs, detached
      return await serveClientHost(config);
  }
  throw new UsageError(`Unknown client host action "${action}": start, stop or status`);
}

async function start(config: HostConfig): Promise<number> {
  const running = runningHost(config);
  if (running) {
    print(`A background host already runs (pid ${running.pid}) on ${config.scratch}`);
    return 0;
  }
  const { pid, startedHere } = await startBackgroundHost(config);
  if (!startedHere) {
    print(`A background host already runs (pid ${pid}) on ${config.scratch}`);
    return 0;
  }
  print(
    `Started a background host (pid ${pid}) on ${config.scratch}; stop it with \`${
      stopCommand(config)
    }\``,
  );
  return 0;
}

async function stop(config: HostConfig, stopJobsFirst: boolean): Promise<number> {
  const unfinished = runningHost(config) ? await endJobs(config, stopJobsFirst) : undefined;
  const stopped = await stopBackgroundHost(config);
  if (!stopped) {
    print(`No background host runs on ${config.scratch}`);
    return 0;
  }
  print(`Stopped the background host (pid ${stopped.pid}) on ${config.scratch}`);
  if (unfinished === undefined) return stopJobsFirst ? 1 : 0;
  if (stopJobsFirst) return unfinished.length > 0 ? 1 : 0;
  if (unfinished.length > 0) {
    const jobs = `${count(unfinished.length, "unfinished job")} (${unfinished.join(", ")})`;
    const stay = unfinished.length === 1 ? "stays" : "stay";
    print(
      `${jobs} ${stay} with plugin "${config.plugin}": what it runs outside itself (local's ` +
        "processes) keeps running, and the next host hands the jobs back to its recover() " +
        "or, without one, fails them; --stop-jobs stops them first",
    );
  }
  return 0;
}

/**
 * The IDs of the running host's unfinished jobs, asked as admin; with `stopFirst`, ends
 * them and returns those still unfinished. `undefined` when the host cannot be asked.
 */
async function endJobs(
  config: HostConfig,
  stopFirst: boolean,
): Promise<string[] | undefined> {
  try {
    const host = await connectBackgroundHost(config, "*");
    if (!host) throw new Error("it does not listen");
    await using _host = host;
    const jobs = await unfinishedJobs(host);
    if (!stopFirst || jobs.length === 0) return jobs.map((job) => String(job.id));
    const left = await stopJobs(host, jobs);
    for (const job of left) writeStderr(`launchbox: job ${job.id} did not end: ${job.reason}\n`);
    const ended = jobs.filter((job) => !left.some((l) => l.id === String(job.id)));
    if (ended.length > 0) {
      print(`Ended ${count(ended.length, "job")} (${ended.map((job) => job.id).join(", ")})`);
    }
    return left.map((job) => job.id);
  } catch (error) {
    writeStderr(`launchbox: cannot list the background host's jobs: ${(error as Error).message}\n`);
    return undefined;
  }
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function status(config: HostConfig): number {
  const running = runningHost(config);
  if (!running) {
    print(`No background host runs on ${config.scratch}`);
    return EXIT_NOT_RUNNING;
  }
  const paths = hostPaths(config.scratch);
  print(
    `A background host runs (pid ${running.pid}) for plugin "${running.plugin}" since ${running.startedAt}\n` +
      `  socket ${paths.socket}\n  log    ${paths.log}`,
  );
  return 0;
}

function parse(args: string[]): Record<string, string | boolean | undefined> {
  const options = Object.fromEntries(
    Object.entries(OPTIONS).map(([key, option]) => [key, { type: option.type }]),
  );
  try {
    return parseArgs({ args, options, strict: true }).values;
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (see launchbox client host --help)`);
  }
}

function print(text: string): void {
  writeStdout(text + "\n");
}
