import { FrameReader, FrameWriter } from "../../framing/mod.ts";
import { type Body, decodeRuntimeRequest, encodeSupervisorFrame } from "../codec.ts";
import { answer, type Store } from "./fake_execution_api.ts";

/** Requests that end a task: the supervisor replies nil and the runtime exits. */
const TERMINAL = new Set(["SucceedTask", "TaskState", "RetryTask", "DeferTask", "RescheduleTask"]);

/** What the fake supervisor saw, in order, as it happened. */
export type SupervisorEvent =
  | { kind: "sent"; body: Body }
  | { kind: "received"; id: number; body: Body }
  | { kind: "replied"; id: number; body: Body | null }
  | { kind: "log"; record: Record<string, unknown> }
  | { kind: "problem"; message: string };

/** Options for {@linkcode superviseTask}. */
export interface SuperviseOptions {
  /** The runtime command; `--comm=` and `--logs=` are appended, as Airflow does. */
  command: { command: string; args: string[] };
  startup: Body;
  store: Store;
  env?: Record<string, string>;
  onEvent: (event: SupervisorEvent) => void;
  /** How long the runtime may take to connect both sockets (Airflow's task_startup_timeout). */
  startupTimeoutMs?: number;
}

/** How the run ended: the runtime's exit, its terminal message and Airflow's final state. */
export interface SupervisedTask {
  exit: Deno.CommandStatus;
  terminal: Body | undefined;
  finalState: string;
  stderr: string;
}

/**
 * Runs one task the way Airflow's supervisor does, against a fake Execution API: listens
 * on two loopback sockets, starts the runtime with `--comm`/`--logs`, sends StartupDetails,
 * answers every request from `store`, reads the log lines, and waits for the exit.
 */
export async function superviseTask(options: SuperviseOptions): Promise<SupervisedTask> {
  using comm = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  using logs = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const address = (l: Deno.Listener) => `127.0.0.1:${(l.addr as Deno.NetAddr).port}`;
  const child = new Deno.Command(options.command.command, {
    args: [...options.command.args, `--comm=${address(comm)}`, `--logs=${address(logs)}`],
    env: { AIRFLOW__LOGGING__LOGGING_LEVEL: "INFO", ...options.env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  void new Response(child.stdout).text().then((out) => {
    if (out.trim()) options.onEvent({ kind: "problem", message: `stdout: ${out.slice(0, 200)}` });
  });
  const connected = await acceptBoth(comm, logs, child.status, options.startupTimeoutMs ?? 10_000);
  let terminal: Body | undefined;
  if (connected) {
    const writer = new FrameWriter(connected.comm.writable);
    options.onEvent({ kind: "sent", body: options.startup });
    writer.write(encodeSupervisorFrame(0, options.startup, null));
    const [last] = await Promise.all([
      serve(connected.comm, writer, options),
      readLogs(connected.logs, options.onEvent),
    ]);
    terminal = last;
  } else {
    options.onEvent({ kind: "problem", message: "the runtime did not connect both sockets" });
  }
  const exit = await child.status;
  const shouldRetry = (options.startup.ti_context as Body | undefined)?.should_retry === true;
  return {
    exit,
    terminal,
    finalState: finalState(exit, terminal, shouldRetry),
    stderr: await stderr,
  };
}

async function serve(
  conn: Deno.Conn,
  writer: FrameWriter,
  options: SuperviseOptions,
): Promise<Body | undefined> {
  let terminal: Body | undefined;
  try {
    for await (const payload of new FrameReader(conn.readable)) {
      let request;
      try {
        request = decodeRuntimeRequest(payload);
      } catch (error) {
        options.onEvent({ kind: "problem", message: (error as Error).message });
        continue;
      }
      options.onEvent({ kind: "received", ...request });
      if (TERMINAL.has(String(request.body.type))) terminal = request.body;
      const reply = answer(request.body, options.store);
      options.onEvent({ kind: "replied", id: request.id, body: reply });
      writer.write(encodeSupervisorFrame(request.id, reply, null));
    }
  } catch (error) {
    options.onEvent({ kind: "problem", message: `comm: ${(error as Error).message}` });
  }
  await writer.flush().catch(() => {});
  return terminal;
}

async function readLogs(conn: Deno.Conn, onEvent: SuperviseOptions["onEvent"]): Promise<void> {
  let rest = "";
  for await (const chunk of conn.readable.pipeThrough(new TextDecoderStream())) {
    const lines = (rest + chunk).split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines.filter(Boolean)) {
      try {
        onEvent({ kind: "log", record: JSON.parse(line) });
      } catch {
        onEvent({ kind: "problem", message: `log line is not JSON: ${line.slice(0, 120)}` });
      }
    }
  }
}

async function acceptBoth(
  comm: Deno.Listener,
  logs: Deno.Listener,
  exited: Promise<unknown>,
  timeoutMs: number,
): Promise<{ comm: Deno.Conn; logs: Deno.Conn } | undefined> {
  const both = Promise.all([comm.accept(), logs.accept()]).then(([c, l]) => ({ comm: c, logs: l }));
  const deadline = AbortSignal.timeout(timeoutMs);
  const late = new Promise<undefined>((resolve) =>
    deadline.addEventListener("abort", () => resolve(undefined), { once: true })
  );
  return await Promise.race([both, exited.then(() => undefined), late]);
}

/** Airflow's `ActivitySubprocess.final_state`: from the exit code and the terminal message. */
export function finalState(
  exit: Deno.CommandStatus,
  terminal: Body | undefined,
  shouldRetry: boolean,
): string {
  if (exit.code !== 0) return shouldRetry ? "up_for_retry" : "failed";
  switch (terminal?.type) {
    case "SucceedTask":
      return "success";
    case "RetryTask":
      return "up_for_retry";
    case "DeferTask":
      return "deferred";
    case "RescheduleTask":
      return "up_for_reschedule";
    case "TaskState":
      return String(terminal.state);
  }
  return "running (no terminal message)";
}
