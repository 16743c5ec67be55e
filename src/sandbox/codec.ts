import type { HostMessage, RunnerMessage, WireError } from "./rpc.ts";
import { runnerMessageProblem } from "./runner_message_check.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

/** Encodes one host↔runner message as a JSON frame payload. */
export function encodeRpc(message: HostMessage | RunnerMessage): Uint8Array {
  return encoder.encode(JSON.stringify(message));
}

/**
 * Encodes the messages of one event-loop turn as one payload: a lone message as itself, more
 * as a JSON array of them (in order), so each hop handles one frame per turn, not per message.
 */
export function encodeRpcBatch(messages: readonly (HostMessage | RunnerMessage)[]): Uint8Array {
  return encoder.encode(JSON.stringify(messages.length === 1 ? messages[0] : messages));
}

/**
 * Decodes a frame from the runner (one message or an array of them). A message of the
 * wrong shape is left out and `refuse` told why; a frame that is not JSON, or not a message
 * object or array of them, throws `SyntaxError` (the channel is broken).
 */
export function decodeRunnerMessages(
  payload: Uint8Array,
  refuse: (problem: string) => void,
): RunnerMessage[] {
  const messages: RunnerMessage[] = [];
  for (const message of decodeAll(payload, "runner")) {
    const problem = runnerMessageProblem(message);
    if (problem) refuse(`Cannot accept a message from the runner: ${problem}`);
    else messages.push(message as RunnerMessage);
  }
  return messages;
}

/**
 * Decodes a frame from the runner holding one message; throws `SyntaxError` when it is not
 * a JSON message object, `TypeError` naming the field when the message has the wrong shape.
 */
export function decodeRunnerMessage(payload: Uint8Array): RunnerMessage {
  const message = decode(payload, "runner");
  const problem = runnerMessageProblem(message);
  if (problem) throw new TypeError(`Cannot accept a message from the runner: ${problem}`);
  return message as RunnerMessage;
}

/** Decodes a frame from the host holding one message. */
export function decodeHostMessage(payload: Uint8Array): HostMessage {
  return decode(payload, "host") as HostMessage;
}

/** Decodes a frame from the host: one message or an array of them, in order. */
export function decodeHostMessages(payload: Uint8Array): HostMessage[] {
  return decodeAll(payload, "host") as HostMessage[];
}

function decode(payload: Uint8Array, from: string): { t: string } {
  const value = parse(payload, from);
  if (!isMessage(value)) {
    throw new SyntaxError(`Cannot decode a frame from the ${from}: not a message object`);
  }
  return value;
}

/** The messages of a frame; array elements are checked by the caller (runner) or trusted. */
function decodeAll(payload: Uint8Array, from: string): unknown[] {
  const value = parse(payload, from);
  if (Array.isArray(value) && value.length > 0) return value;
  if (isMessage(value)) return [value];
  throw new SyntaxError(
    `Cannot decode a frame from the ${from}: not a message object or a list of them`,
  );
}

function parse(payload: Uint8Array, from: string): unknown {
  try {
    return JSON.parse(decoder.decode(payload));
  } catch (error) {
    throw new SyntaxError(`Cannot decode a frame from the ${from}: ${(error as Error).message}`);
  }
}

function isMessage(value: unknown): value is { t: string } {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    typeof (value as { t?: unknown }).t === "string";
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
