import { INLINE_PAYLOAD_BYTES } from "./constants.ts";

/** A request one node asks the node that owns a job to carry out. */
export interface NodeCall {
  job: string;
  op: string;
  user: string;
}

/** The owner's answer: a result, or the error it raised (code and message). */
export type NodeReply =
  | { ok: true; result: unknown }
  | { ok: false; code: number; message: string };

/** A stream one node asks the owner of a job to forward: its output or resource use. */
export interface NodeStreamOpen {
  job: string;
  kind: "output" | "resources";
  /** The user the Launcher asked for (`*` for an admin); the owner checks visibility. */
  user: string;
  /** For output: `stdout`, `stderr` or `both`. */
  wanted?: string;
}

/** How a forwarded stream ended: cleanly, or with the owner's error (code and message). */
export interface NodeStreamEnd {
  error?: { code: number; message: string };
}

/**
 * One signed message of the node channel. `call`/`reply` carry single answers; a stream
 * is `open` (requester), numbered `data` (owner: an item, a piece of one, or the end),
 * `ack` (requester: the next number it wants) and `cancel` (either side). A `ping` is a
 * node's note to itself, proving its LISTEN connection hears the channel.
 */
export interface Envelope {
  k: "call" | "reply" | "open" | "data" | "ack" | "cancel" | "ping";
  id: string;
  from: string;
  to: string;
  call?: NodeCall;
  reply?: NodeReply;
  open?: NodeStreamOpen;
  n?: number;
  /** ack: the first message the requester is missing (it heard later ones). */
  gap?: number;
  /** data: the item, or a piece of its `output` text when `more` follows. */
  d?: unknown;
  more?: true;
  /** data: `d` is a list of whole items, sent together. */
  many?: true;
  end?: NodeStreamEnd;
}

/** Sends one envelope to its addressee (through `pg_notify`). */
export type SendEnvelope = (envelope: Envelope) => Promise<void>;

/** The length of a base64 HMAC-SHA256 signature. */
const SIGNATURE_CHARS = 44;
const encoder = new TextEncoder();

/** The bytes `envelope` takes as a signed NOTIFY payload (its body escaped once more). */
export function payloadBytes(envelope: Envelope): number {
  const body = JSON.stringify(envelope);
  return encoder.encode(JSON.stringify({ b: body, m: "x".repeat(SIGNATURE_CHARS) })).length;
}

/**
 * `data` envelopes carrying `item`, each within NOTIFY's payload limit: the item itself,
 * or, when it is too large and has an `output` text (an output chunk), pieces of that
 * text in order, all but the last marked `more`. Numbers are left for the sender to set.
 */
export function dataPieces(
  base: Omit<Envelope, "k">,
  item: unknown,
  limit = INLINE_PAYLOAD_BYTES,
): Envelope[] {
  const whole: Envelope = { ...base, k: "data", n: Number.MAX_SAFE_INTEGER, d: item };
  if (payloadBytes(whole) <= limit) return [{ ...base, k: "data", d: item }];
  const text = (item as { output?: unknown } | null)?.output;
  if (typeof text !== "string") {
    throw new RangeError(
      `Cannot forward a stream item of ${payloadBytes(whole)} bytes: it exceeds ${limit} bytes`,
    );
  }
  const empty = { ...whole, d: { ...item as object, output: "" }, more: true as const };
  const budget = limit - payloadBytes(empty);
  const pieces: Envelope[] = [];
  let piece = "";
  let used = 0;
  for (const char of text) {
    const cost = escapedBytes(char);
    if (used + cost > budget && piece) {
      pieces.push({ ...base, k: "data", d: { ...item as object, output: piece }, more: true });
      piece = "";
      used = 0;
    }
    piece += char;
    used += cost;
  }
  pieces.push({ ...base, k: "data", d: { ...item as object, output: piece } });
  return pieces;
}

/**
 * The longest run of `items` (at least two, at most `max`) that fits one `data` envelope
 * as a list (`many`), and how many it took; `undefined` when not even two fit.
 */
export function packedData(
  base: Omit<Envelope, "k">,
  items: readonly unknown[],
  limit = INLINE_PAYLOAD_BYTES,
): { envelope: Envelope; count: number } | undefined {
  const empty: Envelope = { ...base, k: "data", n: Number.MAX_SAFE_INTEGER, d: [], many: true };
  let used = payloadBytes(empty);
  let count = 0;
  for (const item of items) {
    // The item's JSON in the body, escaped once more in the payload, and a comma.
    const cost = encoder.encode(JSON.stringify(JSON.stringify(item))).length - 2 + (count && 1);
    if (used + cost > limit) break;
    used += cost;
    count++;
  }
  if (count < 2) return undefined;
  return { envelope: { ...base, k: "data", d: items.slice(0, count), many: true }, count };
}

/** Bytes one character takes in a payload: escaped in the body, then in the payload. */
function escapedBytes(char: string): number {
  const code = char.codePointAt(0)!;
  if (code >= 0x20 && code < 0x7f && char !== '"' && char !== "\\") return 1;
  const inner = JSON.stringify(char).slice(1, -1);
  return encoder.encode(JSON.stringify(inner).slice(1, -1)).length;
}
