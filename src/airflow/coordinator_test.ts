import assert from "node:assert/strict";
import { FrameReader, FrameWriter } from "../framing/mod.ts";
import { decodeRuntimeRequest, encodeSupervisorFrame } from "./codec.ts";
import { GREETING_AFTER_STOP_MS, runCoordinator } from "./coordinator.ts";

/** Both sockets of a coordinator, connected: the runtime's ends and the supervisor's. */
async function connectedPair() {
  using logListener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  using commListener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const dial = (listener: Deno.Listener) =>
    Deno.connect({ hostname: "127.0.0.1", port: (listener.addr as Deno.NetAddr).port });
  const runtime = Promise.all([dial(logListener), dial(commListener)]);
  const [logs, comm] = await Promise.all([logListener.accept(), commListener.accept()]);
  return { runtime, logs, comm };
}

async function coordinate(stop: AbortSignal, sockets: Promise<[Deno.TcpConn, Deno.TcpConn]>) {
  const pluginsDir = await Deno.makeTempDir({ prefix: "launchbox-coordinator-" });
  try {
    return await runCoordinator({
      sockets,
      pluginsDir,
      scratch: pluginsDir,
      env: () => undefined,
      stop,
    });
  } finally {
    await Deno.remove(pluginsDir, { recursive: true });
  }
}

Deno.test("GREETING_AFTER_STOP_MS leaves time for a frame already sent, well within Airflow's 5 s escalation", () => {
  assert.equal(GREETING_AFTER_STOP_MS, 1_000);
});

Deno.test("runCoordinator stopped with no greeting gives up and resolves 1, naming the signal", async () => {
  const { runtime, logs, comm } = await connectedPair();
  const stop = new AbortController();
  stop.abort("Task terminated by SIGTERM");
  const code = await coordinate(stop.signal, runtime);
  assert.equal(code, 1);
  const lines = await new Response(logs.readable).text();
  assert.match(lines, /Cannot start: Task terminated by SIGTERM before StartupDetails arrived/);
  comm.close();
});

Deno.test("runCoordinator still serves a greeting that arrives just after a stop", async () => {
  const { runtime, logs, comm } = await connectedPair();
  const stop = new AbortController();
  stop.abort("Task terminated by SIGTERM");
  const running = coordinate(stop.signal, runtime);
  const writer = new FrameWriter(comm.writable);
  writer.write(encodeSupervisorFrame(0, { type: "DagFileParseRequest", file: "/dags/x.py" }, null));
  const reader = new FrameReader(comm.readable)[Symbol.asyncIterator]();
  const request = decodeRuntimeRequest((await reader.next()).value!);
  assert.equal(request.body.type, "DagFileParsingResult");
  writer.write(encodeSupervisorFrame(request.id, null, null));
  assert.equal(await running, 0);
  await reader.return?.();
  await new Response(logs.readable).text();
});
