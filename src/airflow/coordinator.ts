import type { Body } from "./codec.ts";
import { CommChannel } from "./comm_channel.ts";
import { parseAddress } from "./address.ts";
import { findBundles } from "./bundles.ts";
import { LogChannel, type LogRecord } from "./log_channel.ts";
import { readStartup } from "./startup.ts";
import { taskClient } from "./task_client.ts";
import { runInBundles } from "./task_run.ts";
import { terminalMessage } from "./terminal.ts";

/** Connect to both sockets within this long (the supervisor waits 10 s by default). */
export const CONNECT_TIMEOUT_MS = 10_000;
/** Wait this long for the supervisor's reply to the terminal message before closing. */
export const TERMINAL_REPLY_MS = 2_000;

/** Options of one coordinator run. */
export interface CoordinatorOptions {
  comm: string;
  logs: string;
  pluginsDir: string;
  scratch: string;
  env: (name: string) => string | undefined;
  /** Aborts on SIGTERM/SIGINT. */
  stop: AbortSignal;
}

/**
 * Runs one Airflow task instance: dial both sockets, read `StartupDetails`, run the task in
 * its bundle's sandboxed Worker, send exactly one terminal message, close, and resolve the
 * exit code (0 once a terminal message went out).
 */
export async function runCoordinator(options: CoordinatorOptions): Promise<number> {
  await using logs = new LogChannel({
    level: options.env("AIRFLOW__LOGGING__LOGGING_LEVEL"),
    namespaceLevels: options.env("AIRFLOW__LOGGING__NAMESPACE_LEVELS"),
  });
  const say = (level: LogRecord["level"], event: string, fields: Record<string, unknown> = {}) =>
    logs.emit({ event, level, logger: "launchbox.runtime", ...fields });
  const deadline = AbortSignal.any([AbortSignal.timeout(CONNECT_TIMEOUT_MS), options.stop]);
  const [logConn, commConn] = await Promise.all([
    dial("--logs", options.logs, deadline),
    dial("--comm", options.comm, deadline),
  ]);
  logs.attach(logConn);
  await using comm = new CommChannel(commConn, (anomaly) => say("warning", anomaly));
  const greeting = await comm.greeting();
  if (greeting.error) {
    say("error", "The supervisor's first frame carries an error", { error: greeting.error });
    return 1;
  }
  switch (greeting.body?.type) {
    case "StartupDetails":
      return await runTask(greeting.body, comm, say, options);
    case "TaskHandlerParseRequest":
    case "DagFileParseRequest":
      return await answerParse(greeting.body, comm, options);
    default:
      say(
        "error",
        `Cannot start: unexpected first message ${String(greeting.body?.type ?? "nil")}`,
      );
      return 1;
  }
}

async function runTask(
  body: Body,
  comm: CommChannel,
  say: (level: LogRecord["level"], event: string, fields?: Record<string, unknown>) => void,
  options: CoordinatorOptions,
): Promise<number> {
  let startup;
  try {
    startup = readStartup(body);
  } catch (error) {
    say("error", (error as Error).message);
    await sendTerminal(comm, {
      type: "TaskState",
      state: "failed",
      end_date: new Date().toISOString(),
    }, say);
    return 0;
  }
  const { ti } = startup.context;
  say("info", `Running ${ti.dagId}.${ti.taskId} (run ${ti.runId}, try ${ti.tryNumber})`);
  const ask = (request: Body) => comm.request(request);
  const client = taskClient(ask, ti, options.env);
  const { bundles, problems } = await findBundles(options.pluginsDir);
  for (const problem of problems) say("warning", `Skipping an invalid bundle: ${problem}`);
  const outcome = await runInBundles({
    bundles,
    scratch: options.scratch,
    context: startup.context,
    client,
    onLog: (record) => say(record.level, record.event, { logger: record.logger, ...record.fields }),
    debug: options.env("AIRFLOW__LOGGING__LOGGING_LEVEL")?.toLowerCase() === "debug",
    stop: options.stop,
  });
  if (outcome.kind === "missing") {
    const list = Object.entries(outcome.available).map(([dag, tasks]) =>
      `${dag}: ${tasks.join(", ")}`
    ).join("; ");
    say(
      "error",
      `No bundle in ${options.pluginsDir} has task ${ti.dagId}.${ti.taskId}; available: ${
        list || "none"
      }`,
    );
    await sendTerminal(
      comm,
      terminalMessage(
        { kind: "failed", error: { name: "Error", message: "task not found" } },
        false,
      ),
      say,
    );
    return 0;
  }
  if (outcome.kind === "failed") {
    say("error", `Task failed: ${outcome.error.name}: ${outcome.error.message}`);
  }
  if (outcome.kind === "success" && outcome.value !== undefined) {
    try {
      await client.pushXCom("return_value", outcome.value);
    } catch (error) {
      say("error", `Cannot push the return value: ${(error as Error).message}`);
      await sendTerminal(
        comm,
        terminalMessage({ kind: "failed", error: error as Error }, startup.shouldRetry),
        say,
      );
      return 0;
    }
  }
  await sendTerminal(comm, terminalMessage(outcome, startup.shouldRetry), say);
  return 0;
}

async function sendTerminal(
  comm: CommChannel,
  message: Body,
  say: (level: LogRecord["level"], event: string, fields?: Record<string, unknown>) => void,
): Promise<void> {
  say("info", `Reporting ${message.type}${message.state ? ` (${message.state})` : ""}`);
  try {
    const reply = await comm.request(message, TERMINAL_REPLY_MS);
    if (reply.error) {
      say("error", "The supervisor refused the terminal message", { error: reply.error });
    }
  } catch (error) {
    say("warning", (error as Error).message);
  }
}

/** A Dag processor asks which handlers exist: list every bundle's tasks, run nothing. */
async function answerParse(
  body: Body,
  comm: CommChannel,
  options: CoordinatorOptions,
): Promise<number> {
  const { listAllTasks } = await import("./bundle_metadata.ts");
  const dags = await listAllTasks(options.pluginsDir);
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
  await comm.request(reply, TERMINAL_REPLY_MS).catch(() => undefined);
  return 0;
}

async function dial(flag: string, address: string, signal: AbortSignal): Promise<Deno.TcpConn> {
  const { hostname, port } = parseAddress(flag, address);
  let lastError: unknown;
  while (!signal.aborted) {
    try {
      const conn = await Deno.connect({ hostname, port, transport: "tcp" });
      conn.setNoDelay(true);
      return conn;
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(
    `Cannot connect ${flag}=${address}: ${
      (lastError as Error | undefined)?.message ?? "timed out"
    }`,
  );
}
