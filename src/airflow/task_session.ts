import type { TaskOutcome } from "../sandbox/airflow_rpc.ts";
import type { TaskLogSink } from "../sandbox/airflow_worker.ts";
import type { Manifest } from "../sandbox/manifest.ts";
import type { Body } from "./codec.ts";
import type { CommChannel } from "./comm_channel.ts";
import type { LogChannel, Say } from "./log_channel.ts";
import { resolveArgs } from "./arg_bindings.ts";
import { readStartup, type Startup } from "./startup.ts";
import { type SupervisorCalls, taskClient } from "./task_client.ts";
import { runInBundles, type StartedWorker } from "./task_run.ts";
import { terminalMessage } from "./terminal.ts";

/** Wait this long for the supervisor's reply to the terminal message before closing. */
export const TERMINAL_REPLY_MS = 2_000;

/** What one task run needs from the coordinator. */
export interface TaskSession {
  comm: CommChannel;
  logs: LogChannel;
  say: Say;
  /** The plugins directory's task bundles, being read since start-up. */
  bundles: Promise<{ bundles: Manifest[]; problems: string[] }>;
  /** The first bundle's Worker, being started since the bundles were read (`prestartWorker`). */
  prestarted?: Promise<StartedWorker | undefined>;
  pluginsDir: string;
  scratch: string;
  env: (name: string) => string | undefined;
  stop: AbortSignal;
}

/**
 * Runs the task a `StartupDetails` names and sends exactly one terminal message for it,
 * whatever happens on the way (an unreadable body, a missing task, a refused sandbox, a
 * failed XCom push). Resolves 0: the terminal message carries the outcome.
 */
export async function runTask(body: Body, session: TaskSession): Promise<number> {
  const { say } = session;
  let startup: Startup;
  try {
    startup = readStartup(body);
  } catch (error) {
    say("error", (error as Error).message);
    return await finish(session, { kind: "failed", error: describe(error) }, false);
  }
  const { ti } = startup.context;
  if (session.stop.aborted) {
    // Stopped before the task started: report it failed without running any of its code.
    const message = String(session.stop.reason ?? "Task stopped");
    say("error", `Not running ${ti.dagId}.${ti.taskId}: ${message}`);
    const outcome: TaskOutcome = { kind: "failed", error: { name: "Terminated", message } };
    return await finish(session, outcome, startup.shouldRetry);
  }
  say("info", `Running ${ti.dagId}.${ti.taskId} (run ${ti.runId}, try ${ti.tryNumber})`);
  const client = taskClient((request) => session.comm.request(request), ti, session.env);
  let outcome: TaskOutcome;
  try {
    await clearXComs(client, startup.xcomKeysToClear, say);
    startup.context.args = await resolveArgs(startup.bindings, client);
    outcome = await run(session, startup, client);
    if (outcome.kind === "success" && outcome.value !== undefined) {
      await client.pushXCom("return_value", outcome.value);
    }
  } catch (error) {
    say("error", `Cannot run ${ti.dagId}.${ti.taskId}: ${(error as Error).message}`);
    outcome = { kind: "failed", error: describe(error) };
  }
  return await finish(session, outcome, startup.shouldRetry);
}

async function run(
  session: TaskSession,
  startup: Startup,
  client: SupervisorCalls,
): Promise<TaskOutcome> {
  const { bundles, problems } = await session.bundles;
  for (const problem of problems) session.say("warning", `Skipping an invalid bundle: ${problem}`);
  const prestarted = await session.prestarted?.catch((error: Error) => {
    session.say("warning", `Cannot start the task Worker ahead: ${error.message}`);
    return undefined;
  });
  const outcome = await runInBundles({
    bundles,
    scratch: session.scratch,
    context: startup.context,
    client,
    onLog: taskLogSink(session.logs),
    debug: session.logs.wantsDebug(),
    stop: session.stop,
    ...(prestarted ? { prestarted } : {}),
  });
  if (outcome.kind === "missing") {
    const { dagId, taskId } = startup.context.ti;
    const list = Object.entries(outcome.available)
      .map(([dag, tasks]) => `${dag}: ${tasks.join(", ")}`).join("; ");
    session.say(
      "error",
      `No bundle in ${session.pluginsDir} has task ${dagId}.${taskId}; available: ${
        list || "none"
      }`,
    );
  }
  if (outcome.kind === "failed") {
    const { name, message, stack } = outcome.error;
    session.say("error", `Task failed: ${name}: ${message}${stack ? `\n${stack}` : ""}`);
  }
  return outcome;
}

/** Where a task Worker's log records go: the task log, fields first. */
export function taskLogSink(logs: LogChannel): TaskLogSink {
  return (record) =>
    logs.emit({
      ...record.fields,
      event: record.event,
      level: record.level,
      logger: record.logger,
    });
}

/** Airflow asks the worker to clear these XComs of the task before it runs again. */
async function clearXComs(client: SupervisorCalls, keys: string[], say: Say): Promise<void> {
  for (const key of keys) {
    say("debug", `Clearing XCom "${key}" of a previous try`);
    await client.deleteXCom(key);
  }
}

async function finish(
  session: TaskSession,
  outcome: TaskOutcome,
  shouldRetry: boolean,
): Promise<number> {
  const message = terminalMessage(outcome, shouldRetry);
  session.say("info", `Reporting ${message.type}${message.state ? ` (${message.state})` : ""}`);
  try {
    const reply = await session.comm.request(message, TERMINAL_REPLY_MS);
    if (reply.error) {
      session.say("error", "The supervisor refused the terminal message", { error: reply.error });
    }
  } catch (error) {
    session.say("warning", (error as Error).message);
  }
  return 0;
}

function describe(error: unknown): { name: string; message: string } {
  return error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: "Error", message: String(error) };
}
