import { DEFAULT_MAX_FRAME_BYTES } from "../framing/mod.ts";
import type { RunnerMessage } from "./rpc.ts";
import { runnerMessageProblem } from "./runner_message_check.ts";
import { cutText } from "./stderr_lines.ts";

/** What the runner relays from its Worker, and when it is done. */
export interface WorkerRelay {
  /**
   * Resolves with the runner's exit code once the plugin failed to load, crashed (threw
   * outside every call) or has stopped.
   */
  done: Promise<number>;
  /** The host asked the plugin to stop: a `stopped` from the Worker is expected now. */
  stopping(): void;
}

/**
 * Worker → host. The plugin shares the Worker with its bootstrap, so anything the
 * bootstrap may post the plugin may post too: every message is checked before it becomes
 * a frame. A message of the wrong shape, one that JSON cannot carry, one larger than a
 * frame, or one out of turn (`ready` or `fatal` once loaded, `stopped` unasked) is not
 * sent; the host gets a log line naming the plugin and why instead. An answer too large to
 * send fails its call. The messages of one `postMessage` (the Worker batches a burst) go
 * on as few frames as fit.
 */
export function relayWorker(
  worker: Worker,
  send: (frame: Uint8Array) => void,
  pluginName: string,
): WorkerRelay {
  let loaded = false;
  let stopping = false;
  let finish: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => finish = resolve);
  const out = new FrameBatch(send, DEFAULT_MAX_FRAME_BYTES);
  const refuse = (why: string) =>
    out.add({
      t: "log",
      level: "warn",
      msg: `Refused a message from plugin "${pluginName}": ${why}`,
    });
  const relay = (message: unknown) => {
    const problem = runnerMessageProblem(message) ?? outOfTurn(message as RunnerMessage);
    if (problem) return refuse(problem);
    // A log message is cut to the line limit here, before it costs a frame.
    const relayed = cutLog(message as RunnerMessage);
    const why = out.add(relayed);
    if (why !== undefined) return tooLarge(relayed, why);
    const t = (message as RunnerMessage).t;
    if (t === "ready") loaded = true;
    if (t === "fatal" || t === "crashed") finish(1);
    if (t === "stopped") finish(0);
  };
  worker.onmessage = (event: MessageEvent<unknown>) => {
    const data = event.data;
    if (Array.isArray(data)) data.forEach(relay);
    else relay(data);
    out.flush();
  };
  worker.onerror = (event) => {
    event.preventDefault();
    // Once loaded, an error that ended the Worker is a crash (the bootstrap's own report
    // may be ahead of it; the host keeps the first).
    const error = { name: "Error", message: `Plugin worker failed: ${event.message}` };
    out.add(loaded ? { t: "crashed", error } : { t: "fatal", error });
    out.flush();
    finish(1);
  };
  const outOfTurn = (message: RunnerMessage): string | undefined => {
    if ((message.t === "ready" || message.t === "fatal") && loaded) {
      return `"${message.t}" after the plugin was loaded`;
    }
    if (message.t === "stopped" && !stopping) return '"stopped" before the host asked it to stop';
    return undefined;
  };
  const tooLarge = (message: RunnerMessage, why: string) => {
    refuse(why);
    if (message.t === "jobs") {
      // The Worker waits for this reply; without it its ctx.jobs call would never settle.
      const error = { name: "RangeError", message: `Cannot send the plugin's "jobs": ${why}` };
      worker.postMessage({ t: "jobsReply", id: message.id, error });
    } else if (message.t === "result" || message.t === "item") {
      out.add({
        t: "error",
        id: message.id,
        error: { name: "RangeError", message: `Plugin "${pluginName}" answered with ${why}` },
      });
    }
  };
  return { done, stopping: () => void (stopping = true) };
}

/** A log message with its text cut to the line limit (the runner, not the plugin, says `cut`). */
function cutLog(message: RunnerMessage): RunnerMessage {
  if (message.t !== "log") return message;
  const { cut: _forged, ...rest } = message;
  const { text, cut } = cutText(String(rest.msg));
  return cut === 0 ? rest : { ...rest, msg: text, cut };
}

/**
 * Messages on their way to the host as JSON texts, joined into frames of at most `limit`
 * bytes: one message as itself, several as an array (see `encodeRpcBatch`).
 */
class FrameBatch {
  readonly #send: (frame: Uint8Array) => void;
  readonly #limit: number;
  #texts: string[] = [];
  #bytes = 2;

  constructor(send: (frame: Uint8Array) => void, limit: number) {
    this.#send = send;
    this.#limit = limit;
  }

  /** Queues a message; returns why it cannot be sent (then nothing is queued). */
  add(message: RunnerMessage): string | undefined {
    let text: string;
    try {
      text = JSON.stringify(message);
    } catch (error) {
      return `"${message.t}" cannot be sent as JSON (${(error as Error).message})`;
    }
    // UTF-8 takes at most 3 bytes per UTF-16 unit; the exact count only when that is too many.
    const bound = text.length * 3;
    const bytes = bound <= this.#limit ? bound : encoder.encode(text).length;
    if (bytes > this.#limit) {
      return `"${message.t}" of ${bytes} bytes, more than the ${this.#limit} a frame may hold`;
    }
    if (this.#bytes + bytes + 1 > this.#limit) this.flush();
    this.#texts.push(text);
    this.#bytes += bytes + 1;
    return undefined;
  }

  /** Sends what is queued as one frame. */
  flush(): void {
    const texts = this.#texts;
    if (texts.length === 0) return;
    this.#texts = [];
    this.#bytes = 2;
    this.#send(encoder.encode(texts.length === 1 ? texts[0]! : `[${texts.join(",")}]`));
  }
}

const encoder = new TextEncoder();
