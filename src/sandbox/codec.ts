import type { HostMessage, RunnerMessage, WireError } from "./rpc.ts";
import { runnerMessageProblem } from "./runner_message_check.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

/** Encodes one host↔runner message as a JSON frame payload. */
export function encodeRpc(message: HostMessage | RunnerMessage): Uint8Array {
  return encoder.encode(JSON.stringify(message));
}

/**
 * Decodes a frame from the runner; throws `SyntaxError` when it is not a JSON message
 * object, `TypeError` naming the field when the message has the wrong shape.
 */
export function decodeRunnerMessage(payload: Uint8Array): RunnerMessage {
  const message = decode(payload, "runner");
  const problem = runnerMessageProblem(message);
  if (problem) throw new TypeError(`Cannot accept a message from the runner: ${problem}`);
  return message as RunnerMessage;
}

/** Decodes a frame from the host. */
export function decodeHostMessage(payload: Uint8Array): HostMessage {
  return decode(payload, "host") as HostMessage;
}

function decode(payload: Uint8Array, from: string): { t: string } {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(payload));
  } catch (error) {
    throw new SyntaxError(`Cannot decode a frame from the ${from}: ${(error as Error).message}`);
  }
  if (
    typeof value !== "object" || value === null || typeof (value as { t?: unknown }).t !== "string"
  ) {
    throw new SyntaxError(`Cannot decode a frame from the ${from}: not a message object`);
  }
  return value as { t: string };
}

/** An error as data, keeping what the host needs to rebuild it. */
export function toWireError(error: unknown): WireError {
  if (!(error instanceof Error)) return { name: "Error", message: String(error) };
  const wire: WireError = { name: error.name, message: error.message };
  const extra = error as { code?: unknown; stage?: unknown };
  if (typeof extra.code === "number") wire.code = extra.code;
  if (typeof extra.stage === "string") wire.stage = extra.stage;
  return wire;
}
