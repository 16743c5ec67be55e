import { Decoder, Encoder } from "@msgpack/msgpack";
import { bodyProblem, forbiddenValue, logLineProblem, TERMINAL } from "./_rules.ts";

type Body = Record<string, unknown>;

/** What the fake Execution API holds. */
export interface Store {
  variables: Record<string, string>;
  connections: Record<string, Body>;
  xcoms: Map<string, unknown>;
}

/** One supervised run of a runtime. */
export interface SupervisorRun {
  /** The coordinator command; `--comm=` and `--logs=` are appended last, as Airflow does. */
  command: string[];
  startup: Body;
  env?: Record<string, string>;
  store?: Partial<Store>;
  /** Send SIGTERM this long after StartupDetails; SIGKILL 5 s later if still alive. */
  terminateAfterMs?: number;
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
  killedBy: "SIGTERM" | "SIGKILL" | undefined;
  /** From SIGTERM to exit, when one was sent. */
  exitAfterSignalMs: number | undefined;
  /** From spawning the runtime to receiving its terminal message. */
  terminalAfterMs: number | undefined;
  store: Store;
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
  const result = {
    requests: [] as Body[],
    terminal: [] as Body[],
    logs: [] as Body[],
    violations: [] as string[],
    terminalAt: undefined as number | undefined,
  };
  const [program, ...args] = run.command;
  const spawnedAt = performance.now();
  const child = new Deno.Command(program!, {
    args: [...args, `--comm=127.0.0.1:${port(comm)}`, `--logs=127.0.0.1:${port(logs)}`],
    env: {
      AIRFLOW__LOGGING__LOGGING_LEVEL: "INFO",
      AIRFLOW__LOGGING__NAMESPACE_LEVELS: "",
      ...run.env,
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const stdout = new Response(child.stdout).text();
  const connected = await acceptBoth(comm, logs, child.status);
  comm.close();
  logs.close();
  let killedBy: SupervisorResult["killedBy"];
  let signalledAt: number | undefined;
  if (connected) {
    await write(connected.comm, [0, run.startup, null]);
    if (run.terminateAfterMs !== undefined) {
      setTimeout(() => {
        signalledAt = Date.now();
        killedBy = signal(child, "SIGTERM");
        setTimeout(() => killedBy = signal(child, "SIGKILL") ?? killedBy, 5_000);
      }, run.terminateAfterMs);
    }
    await Promise.all([serveComm(connected.comm, store, result), readLogs(connected.logs, result)]);
  } else {
    result.violations.push("the runtime did not connect both sockets within 10 s");
  }
  const exit = await child.status;
  const out = await stdout;
  if (out.trim()) result.violations.push(`the runtime wrote to stdout: ${out.slice(0, 120)}`);
  const shouldRetry = (run.startup.ti_context as Body | undefined)?.should_retry === true;
  return {
    ...result,
    exit,
    finalState: finalState(exit, result.terminal.at(-1), shouldRetry),
    stderr: await stderr,
    killedBy: exit.signal === "SIGKILL"
      ? "SIGKILL"
      : killedBy && exit.success
      ? undefined
      : killedBy,
    exitAfterSignalMs: signalledAt === undefined ? undefined : Date.now() - signalledAt,
    terminalAfterMs: result.terminalAt === undefined ? undefined : result.terminalAt - spawnedAt,
    store,
  };
}

/** `ActivitySubprocess.final_state` (spec §5.2). */
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
    case "TaskState":
      return String(terminal.state);
  }
  return "running (no terminal message)";
}

function port(listener: Deno.Listener): number {
  return (listener.addr as Deno.NetAddr).port;
}

function signal(child: Deno.ChildProcess, name: Deno.Signal): "SIGTERM" | "SIGKILL" | undefined {
  try {
    child.kill(name);
    return name as "SIGTERM" | "SIGKILL";
  } catch {
    return undefined;
  }
}

async function acceptBoth(comm: Deno.Listener, logs: Deno.Listener, exited: Promise<unknown>) {
  const both = Promise.all([comm.accept(), logs.accept()]).then(([c, l]) => ({ comm: c, logs: l }));
  const timeout = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 10_000));
  return await Promise.race([both, exited.then(() => undefined), timeout]);
}

async function write(conn: Deno.Conn, frame: unknown[]): Promise<void> {
  const payload = encoder.encode(frame);
  const bytes = new Uint8Array(4 + payload.length);
  new DataView(bytes.buffer).setUint32(0, payload.length, false);
  bytes.set(payload, 4);
  await conn.write(bytes).catch(() => 0);
}

async function serveComm(
  conn: Deno.Conn,
  store: Store,
  result: {
    requests: Body[];
    terminal: Body[];
    violations: string[];
    terminalAt?: number | undefined;
  },
) {
  let buffer: Uint8Array = new Uint8Array(0);
  for await (const chunk of conn.readable) {
    buffer = concat(buffer, chunk);
    while (buffer.length >= 4) {
      const length = new DataView(buffer.buffer, buffer.byteOffset).getUint32(0, false);
      if (length === 0) result.violations.push("the runtime sent a zero-length frame");
      if (buffer.length < 4 + length) break;
      const payload = buffer.slice(4, 4 + length);
      buffer = buffer.slice(4 + length);
      const reply = handleFrame(payload, store, result);
      if (reply) await write(conn, reply);
    }
  }
}

function handleFrame(
  payload: Uint8Array,
  store: Store,
  result: {
    requests: Body[];
    terminal: Body[];
    violations: string[];
    terminalAt?: number | undefined;
  },
) {
  let frame: unknown;
  try {
    frame = decoder.decode(payload);
  } catch (error) {
    result.violations.push(`undecodable frame: ${(error as Error).message}`);
    return undefined;
  }
  if (
    !Array.isArray(frame) || frame.length < 2 || frame.length > 3 || !Number.isInteger(frame[0])
  ) {
    result.violations.push(`malformed request frame ${JSON.stringify(frame)}`);
    return undefined;
  }
  const [id, body, carrier] = frame as [number, Body, unknown];
  const problem = (body && typeof body === "object" ? bodyProblem(body) : "body is not a map") ??
    forbiddenValue(body) ??
    (carrier == null || typeof carrier === "object" ? undefined : "3rd element is not a map");
  if (problem) {
    result.violations.push(problem);
    return undefined;
  }
  result.requests.push(body);
  if (TERMINAL.has(String(body.type))) {
    result.terminal.push(body);
    result.terminalAt ??= performance.now();
  }
  return [id, answer(body, store), null];
}

function answer(body: Body, store: Store): Body | null {
  const key = String(body.key ?? "");
  switch (body.type) {
    case "GetVariable":
      return key in store.variables
        ? { key, value: store.variables[key], type: "VariableResult" }
        : { type: "ErrorResponse", error: "VARIABLE_NOT_FOUND", detail: { key } };
    case "PutVariable":
      store.variables[key] = String(body.value);
      return null;
    case "DeleteVariable": {
      const existed = key in store.variables;
      delete store.variables[key];
      return { ok: existed, type: "OKResponse" };
    }
    case "GetConnection": {
      const id = String(body.conn_id);
      const conn = store.connections[id];
      return conn
        ? { conn_id: id, ...conn, type: "ConnectionResult" }
        : { type: "ErrorResponse", error: "CONNECTION_NOT_FOUND", detail: { conn_id: id } };
    }
    case "GetXCom":
      return { key, value: store.xcoms.get(xcomKey(body)) ?? null, type: "XComResult" };
    case "SetXCom":
      store.xcoms.set(xcomKey(body), body.value);
      return null;
    case "DeleteXCom":
      store.xcoms.delete(xcomKey(body));
      return null;
  }
  return null;
}

/** Where an XCom lives: dag/run/task/key. */
export function xcomKey(body: Body): string {
  return `${body.dag_id}/${body.run_id}/${body.task_id}/${body.key}`;
}

async function readLogs(conn: Deno.Conn, result: { logs: Body[]; violations: string[] }) {
  let rest = "";
  for await (const chunk of conn.readable.pipeThrough(new TextDecoderStream())) {
    const lines = (rest + chunk).split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines.filter(Boolean)) {
      const problem = logLineProblem(line);
      if (problem) result.violations.push(problem);
      else result.logs.push(JSON.parse(line));
    }
  }
  if (rest) result.violations.push(`log stream ended inside a line: ${rest.slice(0, 80)}`);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
