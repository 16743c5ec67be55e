import type { Body } from "./codec.ts";
import { CommChannel } from "./comm_channel.ts";
import { findBundles } from "./bundles.ts";
import { LogChannel, type Say } from "./log_channel.ts";
import { runTask, taskLogSink } from "./task_session.ts";
import { prestartWorker } from "./task_run.ts";

/** Wait this long for the supervisor's reply to a parse result before closing. */
export const PARSE_REPLY_MS = 2_000;
/**
 * After SIGTERM/SIGINT, still wait this long for the greeting: the supervisor sends it as
 * soon as both sockets are accepted, so one may be on the socket, unread, while the runtime
 * loads, and a task Airflow started must end with a terminal message.
 */
export const GREETING_AFTER_STOP_MS = 1_000;

/** Options of one coordinator run. */
export interface CoordinatorOptions {
  /** The logs and comm connections, being dialed (see `dialBoth`). */
  sockets: Promise<[Deno.TcpConn, Deno.TcpConn]>;
  pluginsDir: string;
  scratch: string;
  env: (name: string) => string | undefined;
  /** Aborts on SIGTERM/SIGINT. */
  stop: AbortSignal;
}

/**
 * Runs one Airflow task instance: dial both sockets, read `StartupDetails`, run the task in
 * its bundle's sandboxed Worker, send exactly one terminal message, close, and resolve the
 * exit code (0 once a terminal message went out; 1 when the protocol failed before that).
 */
export async function runCoordinator(options: CoordinatorOptions): Promise<number> {
  await using logs = new LogChannel({
    level: options.env("AIRFLOW__LOGGING__LOGGING_LEVEL"),
    namespaceLevels: options.env("AIRFLOW__LOGGING__NAMESPACE_LEVELS"),
  });
  const say = logs.sayer("launchbox.runtime");
  // Reading the plugin manifests needs no greeting: overlap it with dialing.
  const bundles = findBundles(options.pluginsDir);
  bundles.catch(() => {});
  // So is starting the first bundle's Worker, when its permissions do not depend on the task.
  const prestarted = bundles.then(({ bundles }) =>
    prestartWorker(bundles, { scratch: options.scratch, onLog: taskLogSink(logs) })
  );
  prestarted.catch(() => {});
  const [logConn, commConn] = await options.sockets;
  logs.attach(logConn);
  await using comm = new CommChannel(commConn, (anomaly) => say("warning", anomaly));
  const greeting = await firstFrame(comm, options.stop, say);
  if (!greeting) return 1;
  switch (greeting.type) {
    case "StartupDetails":
      return await runTask(greeting, {
        comm,
        logs,
        say,
        bundles,
        prestarted,
        pluginsDir: options.pluginsDir,
        scratch: options.scratch,
        env: options.env,
        stop: options.stop,
      });
    case "TaskHandlerParseRequest":
    case "DagFileParseRequest":
      return await answerParse(greeting, comm, options.pluginsDir);
    default:
      say("error", `Cannot start: unexpected first message ${String(greeting.type ?? "nil")}`);
      return 1;
  }
}

/** The greeting's body, or `undefined` (logged) when there is none to act on. */
async function firstFrame(comm: CommChannel, stop: AbortSignal, say: Say) {
  const stopped = new Promise<"stopped">((resolve) => {
    const giveUp = () => {
      const grace = AbortSignal.timeout(GREETING_AFTER_STOP_MS);
      grace.addEventListener("abort", () => resolve("stopped"), { once: true });
    };
    if (stop.aborted) giveUp();
    else stop.addEventListener("abort", giveUp, { once: true });
  });
  try {
    const frame = await Promise.race([comm.greeting(), stopped]);
    if (frame === "stopped") {
      say("error", `Cannot start: ${String(stop.reason)} before StartupDetails arrived`);
      return undefined;
    }
    if (frame.error) {
      say("error", "Cannot start: the supervisor's first frame carries an error", {
        error: frame.error,
      });
      return undefined;
    }
    return frame.body ?? { type: "nil" };
  } catch (error) {
    say("error", `Cannot start: ${(error as Error).message}`);
    return undefined;
  }
}

/** A Dag processor asks which handlers exist: list every bundle's tasks, run nothing. */
async function answerParse(body: Body, comm: CommChannel, pluginsDir: string): Promise<number> {
  const { listAllTasks } = await import("./bundle_metadata.ts");
  const dags = await listAllTasks(pluginsDir);
  const fileloc = String(body.file ?? "");
  const reply = body.type === "DagFileParseRequest"
    ? { type: "DagFileParsingResult", fileloc, serialized_dags: [] }
    : {
      type: "TaskHandlerParsingResult",
      fileloc,
      task_handlers: Object.fromEntries(
        Object.entries(dags).map((
          [dag, tasks],
        ) => [dag, tasks.map((task_id) => ({ task_id, binding: "named", params: null }))]),
      ),
    };
  await comm.request(reply, PARSE_REPLY_MS).catch(() => undefined);
  return 0;
}
