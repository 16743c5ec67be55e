const encoder = new TextEncoder();
const COMMA = 0x2c;
const CLOSE_BRACE = 0x7d;
/** The longest entry suffix: the 16 digits of a safe integer and the closing brace. */
const SUFFIX_BYTES = 17;

/** `{"requestId":<id>,"seqId":` for one stream, encoded once when the stream opens. */
export function sequencePrefix(requestId: number): Uint8Array {
  if (!Number.isSafeInteger(requestId) || requestId < 0) {
    throw new RangeError(`Cannot list stream ${requestId}: not a non-negative integer`);
  }
  return encoder.encode(`{"requestId":${requestId},"seqId":`);
}

/**
 * The JSON text of a status message's `sequences` entries (`{"requestId":1,"seqId":2},…`,
 * without brackets), written as bytes into one reused buffer: a change seen by 1 000
 * streams costs no objects, no string and no UTF-8 encoding.
 */
export class SequenceList {
  #bytes = new Uint8Array(16 * 1024);
  #length = 0;
  #count = 0;
  #lastSeqId = -1;
  #lastDigits = "";

  /** Entries written since the last {@linkcode clear}. */
  get count(): number {
    return this.#count;
  }

  /** Starts a new list (the buffer is kept). */
  clear(): void {
    this.#length = 0;
    this.#count = 0;
  }

  /** Adds one entry: `prefix` from {@linkcode sequencePrefix}, then `seqId` (a positive integer). */
  add(prefix: Uint8Array, seqId: number): void {
    const needed = this.#length + 1 + prefix.length + SUFFIX_BYTES;
    if (needed > this.#bytes.length) this.#grow(needed);
    const bytes = this.#bytes;
    let at = this.#length;
    if (this.#count > 0) bytes[at++] = COMMA;
    bytes.set(prefix, at);
    at += prefix.length;
    // Streams opened together count in step: most entries of a list share their seqId.
    if (seqId !== this.#lastSeqId) {
      this.#lastSeqId = seqId;
      this.#lastDigits = String(seqId);
    }
    const digits = this.#lastDigits;
    for (let i = 0; i < digits.length; i++) bytes[at++] = digits.charCodeAt(i);
    bytes[at++] = CLOSE_BRACE;
    this.#length = at;
    this.#count++;
  }

  /** The entries written so far: a view valid until the next `clear` or `add`. */
  view(): Uint8Array {
    return this.#bytes.subarray(0, this.#length);
  }

  #grow(needed: number): void {
    const grown = new Uint8Array(Math.max(needed, this.#bytes.length * 2));
    grown.set(this.#bytes.subarray(0, this.#length));
    this.#bytes = grown;
  }
}
