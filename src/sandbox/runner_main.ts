import { FrameReader, FrameWriter } from "../framing/mod.ts";
import { decodeHostMessage, decodeHostMessages, encodeRpc, toWireError } from "./codec.ts";
import type { RunnerInit, RunnerMessage } from "./rpc.ts";
import { PayloadJoiner } from "./rpc_parts.ts";
import { relayWorker, type WorkerRelay } from "./worker_relay.ts";

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
  // Host → runner messages of any size arrive in parts (the jobs a recovering instance
  // gets); runner → host messages stay within one frame (see relayWorker).
  const joiner = new PayloadJoiner();
  const first = await readWhole(reader, joiner);
  if (first === null) return 0;
  const init = decodeHostMessage(first);
  if (init.t !== "init") {
    throw new TypeError(`Cannot start runner: first frame is "${init.t}", not "init"`);
  }
  let worker: Worker;
  try {
    // A pooled runner started elsewhere (RunnerPool); the plugin runs in its instance's.
    Deno.chdir(init.init.instanceDir);
    worker = startWorker(init.init);
  } catch (error) {
    send({ t: "fatal", error: toWireError(error) });
    await writer.flush();
    return 1;
  }
  const relay = relayWorker(worker, (frame) => writer.write(frame), init.init.pluginName);
  worker.postMessage(init);
  const code = await Promise.race([relayHost(reader, joiner, worker, relay), relay.done]);
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

/** Host → Worker, until stdin ends (exit 0) or a frame breaks the channel (exit 1). */
async function relayHost(
  reader: FrameReader,
  joiner: PayloadJoiner,
  worker: Worker,
  relay: WorkerRelay,
): Promise<number> {
  try {
    for await (const frame of reader) {
      const payload = joiner.push(frame);
      if (!payload) continue;
      // A burst of messages stays one: the Worker gets it with one postMessage.
      const messages = decodeHostMessages(payload);
      if (messages.some((message) => message.t === "stop")) relay.stopping();
      worker.postMessage(messages.length === 1 ? messages[0] : messages);
    }
    return 0;
  } catch {
    return 1;
  }
}

/** The next whole message's payload (joined from its parts), or null when stdin ends. */
async function readWhole(reader: FrameReader, joiner: PayloadJoiner): Promise<Uint8Array | null> {
  for (let frame = await reader.read(); frame !== null; frame = await reader.read()) {
    const payload = joiner.push(frame);
    if (payload) return payload;
  }
  return null;
}

if (import.meta.main) Deno.exit(await runRunner(Deno.args));
