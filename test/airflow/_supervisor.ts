import { finalState } from "../../src/airflow/fake_supervisor/supervise_task.ts";
import { Decoder, Encoder } from "@msgpack/msgpack";
import { answer, type Store } from "./_fake_api.ts";
import { connectionOwner } from "./_ownership.ts";
import { bodyProblem, forbiddenValue, logLineProblem, TERMINAL } from "./_rules.ts";

export { type Store, xcomKey } from "./_fake_api.ts";

type Body = Record<string, unknown>;
type Signal = "SIGINT" | "SIGTERM" | "SIGKILL";

/** The supervisor's `escalation_delay` between SIGINT, SIGTERM and SIGKILL. */
export const ESCALATION_MS = 5_000;
/** `task_startup_timeout`: both connections must arrive within this long. */
export const STARTUP_TIMEOUT_MS = 10_000;

/** One supervised run of a runtime. */
export interface SupervisorRun {
  /** The coordinator command; `--comm=` and `--logs=` are appended last, as Airflow does. */
  command: string[];
  startup: Body;
  env?: Record<string, string>;
  store?: Partial<Store>;
  /** Start the kill sequence this long after StartupDetails. */
  terminateAfterMs?: number;
  /** The kill sequence's first signal (SIGINT → SIGTERM → SIGKILL, 5 s apart). */
  terminateWith?: "SIGINT" | "SIGTERM";
  /** Requests whose Execution API call fails: this `ErrorResponse` goes in the error slot. */
  failures?: Record<string, Body>;
  /** Requests answered with a frame that is not msgpack. */
  garbled?: string[];
  /** `--comm ADDR` instead of Airflow's `--comm=ADDR` (other launchers may do so). */
  separateFlags?: boolean;
  /**
   * Check that both connections come from the launched process tree, as Airflow does. Off
   * by default: it spawns `ss` and `ps`, which would skew the start-up benchmark.
   */
  checkOwnership?: boolean;
}

/** Everything the supervisor saw. */
export interface SupervisorResult {
  exit: Deno.CommandStatus;
  requests: Body[];
  terminal: Body[];
  logs: Body[];
  violations: string[];
  finalState: string;
  stderr: string;
  /** The last signal sent, unless the runtime exited cleanly before it mattered. */
  killedBy: Signal | undefined;
  /** From the first kill signal to exit, when one was sent. */
  exitAfterSignalMs: number | undefined;
  /** From spawning the runtime to receiving its terminal message. */
  terminalAfterMs: number | undefined;
  /** From the terminal message to exit (Airflow kills a runtime that lingers). */
  exitAfterTerminalMs: number | undefined;
  store: Store;
}

interface Seen {
  requests: Body[];
  terminal: Body[];
  logs: Body[];
  violations: string[];
  terminalAt?: number | undefined;
}

const encoder = new Encoder();
const decoder = new Decoder({
  mapKeyConverter: (key) => {
    if (typeof key !== "string") throw new TypeError(`map key ${String(key)} is not a string`);
    return key;
  },
});

/** Runs a runtime the way Airflow's SubprocessCoordinator and ActivitySubprocess do. */
export async function supervise(run: SupervisorRun): Promise<SupervisorResult> {
  const comm = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const logs = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const store: Store = { variables: {}, connections: {}, xcoms: new Map(), ...run.store };
  const seen: Seen = { requests: [], terminal: [], logs: [], violations: [] };
  const spawnedAt = performance.now();
  const child = spawn(run, port(comm), port(logs));
  const stderr = new Response(child.stderr).text();
  const stdout = new Response(child.stdout).text();
  const connected = await acceptBoth(comm, logs, child.status);
  comm.close();
  logs.close();
  let kill: Killer | undefined;
  let ownership: Promise<void> | undefined;
  if (connected) {
    // Airflow checks before sending StartupDetails; checking alongside keeps timings honest.
    if (run.checkOwnership) ownership = checkOwnership(connected, child.pid, seen);
    await write(connected.comm, [0, run.startup, null]);
    if (run.terminateAfterMs !== undefined) {
      kill = new Killer(child, run.terminateWith ?? "SIGTERM", run.terminateAfterMs);
    }
    await Promise.all([
      serveComm(connected.comm, store, run, seen),
      readLogs(connected.logs, seen),
    ]);
  } else {
    seen.violations.push("the runtime did not connect both sockets within 10 s");
  }
  const exit = await child.status;
  const exitedAt = performance.now();
  kill?.cancel();
  await ownership;
  const out = await stdout;
  if (out.trim()) seen.violations.push(`the runtime wrote to stdout: ${out.slice(0, 120)}`);
  const shouldRetry = (run.startup.ti_context as Body | undefined)?.should_retry === true;
  const { terminalAt, ...rest } = seen;
  return {
    ...rest,
    exit,
    finalState: finalState(exit, seen.terminal.at(-1), shouldRetry),
    stderr: await stderr,
    killedBy: exit.signal === "SIGKILL" ? "SIGKILL" : exit.success ? undefined : kill?.last,
    exitAfterSignalMs: kill?.sentAt === undefined ? undefined : exitedAt - kill.sentAt,
    terminalAfterMs: terminalAt === undefined ? undefined : terminalAt - spawnedAt,
    exitAfterTerminalMs: terminalAt === undefined ? undefined : exitedAt - terminalAt,
    store,
  };
}

export { finalState };

function spawn(run: SupervisorRun, commPort: number, logsPort: number): Deno.ChildProcess {
  const [program, ...args] = run.command;
  const [comm, logs] = [`127.0.0.1:${commPort}`, `127.0.0.1:${logsPort}`];
  const flags = run.separateFlags
    ? ["--comm", comm, "--logs", logs]
    : [`--comm=${comm}`, `--logs=${logs}`];
  return new Deno.Command(program!, {
    args: [...args, ...flags],
    env: {
      AIRFLOW__LOGGING__LOGGING_LEVEL: "INFO",
      AIRFLOW__LOGGING__NAMESPACE_LEVELS: "",
      ...run.env,
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** `WatchedSubprocess.kill(sig, force=True)`: each later signal after `ESCALATION_MS`. */
class Killer {
  readonly #timers: ReturnType<typeof setTimeout>[] = [];
  last: Signal | undefined;
  sentAt: number | undefined;

  constructor(child: Deno.ChildProcess, first: "SIGINT" | "SIGTERM", afterMs: number) {
    const sequence: Signal[] = first === "SIGINT"
      ? ["SIGINT", "SIGTERM", "SIGKILL"]
      : ["SIGTERM", "SIGKILL"];
    sequence.forEach((signal, step) => {
      this.#timers.push(setTimeout(() => {
        try {
          child.kill(signal);
          this.last = signal;
          this.sentAt ??= performance.now();
        } catch {
          // already exited
        }
      }, afterMs + step * ESCALATION_MS));
    });
  }

  cancel(): void {
    for (const timer of this.#timers) clearTimeout(timer);
  }
}

function port(listener: Deno.Listener): number {
  return (listener.addr as Deno.NetAddr).port;
}

async function acceptBoth(comm: Deno.Listener, logs: Deno.Listener, exited: Promise<unknown>) {
  const both = Promise.all([comm.accept(), logs.accept()]).then(([c, l]) => ({ comm: c, logs: l }));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), STARTUP_TIMEOUT_MS);
  });
  const accepted = await Promise.race([both, exited.then(() => undefined), timeout]);
  clearTimeout(timer);
  return accepted;
}

async function checkOwnership(
  connected: { comm: Deno.Conn; logs: Deno.Conn },
  pid: number,
  seen: Seen,
): Promise<void> {
  for (const [name, conn] of Object.entries(connected)) {
    if ((await connectionOwner(conn, pid)) === "foreign") {
      seen.violations.push(`the ${name} connection does not come from the launched process tree`);
    }
  }
}

async function write(conn: Deno.Conn, frame: unknown[]): Promise<void> {
  await writeBytes(conn, encoder.encode(frame));
}

async function writeBytes(conn: Deno.Conn, payload: Uint8Array): Promise<void> {
  const bytes = new Uint8Array(4 + payload.length);
  new DataView(bytes.buffer).setUint32(0, payload.length, false);
  bytes.set(payload, 4);
  await conn.write(bytes).catch(() => 0);
}

async function serveComm(conn: Deno.Conn, store: Store, run: SupervisorRun, seen: Seen) {
  let buffer: Uint8Array = new Uint8Array(0);
  for await (const chunk of conn.readable) {
    buffer = concat(buffer, chunk);
    while (buffer.length >= 4) {
      const length = new DataView(buffer.buffer, buffer.byteOffset).getUint32(0, false);
      if (length === 0) seen.violations.push("the runtime sent a zero-length frame");
      if (buffer.length < 4 + length) break;
      const payload = buffer.slice(4, 4 + length);
      buffer = buffer.slice(4 + length);
      const request = readRequest(payload, seen);
      if (!request) continue; // Airflow: "Unable to decode message", and no reply
      const type = String(request.body.type);
      if (run.garbled?.includes(type)) await writeBytes(conn, new Uint8Array([0xc1]));
      else if (run.failures?.[type]) await write(conn, [request.id, null, run.failures[type]]);
      else await write(conn, [request.id, answer(request.body, store), null]);
    }
  }
}

/** A request frame checked as strictly as msgspec and pydantic would; recorded if valid. */
function readRequest(payload: Uint8Array, seen: Seen): { id: number; body: Body } | undefined {
  let frame: unknown;
  try {
    frame = decoder.decode(payload);
  } catch (error) {
    seen.violations.push(`undecodable frame: ${(error as Error).message}`);
    return undefined;
  }
  if (
    !Array.isArray(frame) || frame.length < 2 || frame.length > 3 || !Number.isInteger(frame[0])
  ) {
    seen.violations.push(`malformed request frame ${JSON.stringify(frame)}`);
    return undefined;
  }
  const [id, body, carrier] = frame as [number, Body, unknown];
  const problem = (body && typeof body === "object" ? bodyProblem(body) : "body is not a map") ??
    forbiddenValue(body) ??
    (carrier == null || typeof carrier === "object" ? undefined : "3rd element is not a map");
  if (problem) {
    seen.violations.push(problem);
    return undefined;
  }
  seen.requests.push(body);
  if (TERMINAL.has(String(body.type))) {
    seen.terminal.push(body);
    seen.terminalAt ??= performance.now();
  }
  return { id, body };
}

async function readLogs(conn: Deno.Conn, seen: Seen) {
  let rest = "";
  for await (const chunk of conn.readable.pipeThrough(new TextDecoderStream())) {
    const lines = (rest + chunk).split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines.filter(Boolean)) {
      const problem = logLineProblem(line);
      if (problem) seen.violations.push(problem);
      else seen.logs.push(JSON.parse(line));
    }
  }
  if (rest) seen.violations.push(`log stream ended inside a line: ${rest.slice(0, 80)}`);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
