import { FrameReader, FrameWriter } from "../framing/mod.ts";
import { decodeHostMessage, encodeRpc, toWireError } from "./codec.ts";
import type { RunnerInit, RunnerMessage } from "./rpc.ts";
import { cutText } from "./stderr_lines.ts";

/**
 * `launchbox runner`: one sandboxed plugin instance. The host sends an init frame; the
 * runner starts the plugin in a Worker with the instance's permissions and relays frames
 * both ways. It exits when the host says stop, when stdin ends (the host is gone), or when
 * the Worker dies. Nothing but frames is written to stdout.
 */
export async function runRunner(_args: string[]): Promise<number> {
  // Read by glibc at start-up (see runnerCommand); jobs the plugin starts must not inherit it.
  Deno.env.delete("MALLOC_ARENA_MAX");
  const reader = new FrameReader(Deno.stdin.readable);
  const writer = new FrameWriter(Deno.stdout.writable);
  const send = (message: RunnerMessage) => writer.write(encodeRpc(message));
  const first = await reader.read();
  if (first === null) return 0;
  const init = decodeHostMessage(first);
  if (init.t !== "init") {
    throw new TypeError(`Cannot start runner: first frame is "${init.t}", not "init"`);
  }
  let worker: Worker;
  try {
    worker = startWorker(init.init);
  } catch (error) {
    send({ t: "fatal", error: toWireError(error) });
    await writer.flush();
    return 1;
  }
  const done = relayWorker(worker, send);
  worker.postMessage(init);
  const code = await Promise.race([relayHost(reader, worker), done]);
  await writer.flush().catch(() => {});
  return code;
}

function startWorker(init: RunnerInit): Worker {
  return new Worker(new URL("./worker_entry.ts", import.meta.url), {
    type: "module",
    name: `${init.pluginName}:${init.instanceKey}`,
    deno: { permissions: init.permissions },
  });
}

/**
 * Worker → host. Resolves with an exit code when the Worker fails or has stopped. A log
 * message is cut to the line limit here, before it costs a frame; a message too large for
 * a frame is answered with an error instead of ending the runner.
 */
function relayWorker(worker: Worker, send: (message: RunnerMessage) => void): Promise<number> {
  return new Promise((resolve) => {
    worker.onmessage = (event: MessageEvent<RunnerMessage>) => {
      const message = event.data.t === "log" ? cutLog(event.data) : event.data;
      try {
        send(message);
      } catch (error) {
        refuse(message, error as Error, worker, send);
      }
      if (event.data.t === "fatal") resolve(1);
      if (event.data.t === "stopped") resolve(0);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      send({
        t: "fatal",
        error: { name: "Error", message: `Plugin worker failed: ${event.message}` },
      });
      resolve(1);
    };
  });
}

function cutLog(message: Extract<RunnerMessage, { t: "log" }>): RunnerMessage {
  const { text, cut } = cutText(String(message.msg));
  return cut === 0 ? message : { ...message, msg: text, cut };
}

function refuse(
  message: RunnerMessage,
  error: Error,
  worker: Worker,
  send: (message: RunnerMessage) => void,
): void {
  const refused = new RangeError(`Cannot send the plugin's "${message.t}": ${error.message}`);
  if (message.t === "jobs") {
    worker.postMessage({ t: "jobsReply", id: message.id, error: toWireError(refused) });
  } else if ("id" in message) {
    send({ t: "error", id: message.id, error: toWireError(refused) });
  } else {
    send({ t: "log", level: "warn", msg: refused.message });
  }
}

/** Host → Worker, until stdin ends (exit 0) or a frame breaks the channel (exit 1). */
async function relayHost(reader: FrameReader, worker: Worker): Promise<number> {
  try {
    for await (const frame of reader) worker.postMessage(decodeHostMessage(frame));
    return 0;
  } catch {
    return 1;
  }
}

if (import.meta.main) Deno.exit(await runRunner(Deno.args));
