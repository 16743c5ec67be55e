import { DEFAULT_MAX_FRAME_BYTES, type FrameReader } from "../framing/mod.ts";
import type { Logger } from "../sdk/mod.ts";
import { decodeRunnerMessages } from "./codec.ts";
import type { RunnerMessage } from "./rpc.ts";
import { PayloadJoiner } from "./rpc_parts.ts";

/** A decoded runner message and the size of its payload in bytes. */
export interface ReceivedMessage {
  message: RunnerMessage;
  bytes: number;
}

/**
 * The messages a runner writes to its stdout, joined from split frames; a frame may hold a
 * burst of them (a JSON list). A message that does not decode is logged and skipped; broken
 * framing throws (the channel cannot go on).
 */
export async function* readRunnerMessages(
  reader: FrameReader,
  log: Logger,
): AsyncGenerator<ReceivedMessage> {
  // A runner's messages fit one frame (its relay refuses larger ones), so a split one
  // may not grow past a frame either: a plugin cannot make the host buffer more.
  const joiner = new PayloadJoiner(DEFAULT_MAX_FRAME_BYTES);
  const refuse = (problem: string) =>
    log.warn("Refused a message from the runner", { error: problem });
  for await (const frame of reader) {
    const payload = joiner.push(frame);
    if (!payload) continue;
    const messages = decodeRunnerMessages(payload, refuse);
    for (const message of messages) {
      // A stream item's weight is its own size, also when it shares the frame.
      const bytes = messages.length === 1 || message.t !== "item"
        ? payload.length
        : encoder.encode(JSON.stringify(message)).length;
      yield { message, bytes };
    }
  }
}

const encoder = new TextEncoder();
