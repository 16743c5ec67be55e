/**
 * Host↔runner messages of any size over frames of bounded size. A message whose JSON
 * fits in one part travels as that JSON (it starts with `{`); a longer one travels as
 * several frames, each one byte of marker and a slice of the JSON: {@linkcode MORE} on all
 * but the last, {@linkcode LAST} on the last. No JSON text starts with either byte.
 *
 * @module
 */

/** Marks a frame that carries a slice of a message, more slices following. */
export const MORE = 0x00;
/** Marks the frame carrying a message's last slice. */
export const LAST = 0x01;

/** The largest slice of JSON per frame: well under every frame limit (5 MiB by default). */
export const PART_BYTES = 1024 * 1024;

/** The frames that carry `payload` (one JSON message), each at most `partBytes` + 1 long. */
export function splitPayload(payload: Uint8Array, partBytes = PART_BYTES): Uint8Array[] {
  if (payload.length <= partBytes) return [payload];
  const frames: Uint8Array[] = [];
  for (let offset = 0; offset < payload.length; offset += partBytes) {
    const slice = payload.subarray(offset, Math.min(offset + partBytes, payload.length));
    const frame = new Uint8Array(slice.length + 1);
    frame[0] = offset + partBytes >= payload.length ? LAST : MORE;
    frame.set(slice, 1);
    frames.push(frame);
  }
  return frames;
}

/**
 * Puts split messages back together, frame by frame: {@linkcode push} returns a whole
 * message's payload, or `undefined` while slices are still to come. A message may not grow
 * past `maxMessageBytes`, so a broken peer cannot make the reader hold unbounded memory.
 */
export class PayloadJoiner {
  readonly #maxMessageBytes: number;
  #slices: Uint8Array[] = [];
  #bytes = 0;

  constructor(maxMessageBytes = 1024 * 1024 * 1024) {
    this.#maxMessageBytes = maxMessageBytes;
  }

  /** The whole payload once `frame` completes one; throws when a message is too long. */
  push(frame: Uint8Array): Uint8Array | undefined {
    const marker = frame[0];
    if (marker !== MORE && marker !== LAST) {
      if (this.#slices.length > 0) {
        throw new SyntaxError(
          `Cannot join a split message: a whole message arrived after ${this.#slices.length} slices`,
        );
      }
      return frame;
    }
    this.#bytes += frame.length - 1;
    if (this.#bytes > this.#maxMessageBytes) {
      throw new RangeError(
        `Cannot join a split message: ${this.#bytes} bytes exceed the ${this.#maxMessageBytes} byte limit`,
      );
    }
    this.#slices.push(frame.subarray(1));
    if (marker === MORE) return undefined;
    return this.#join();
  }

  #join(): Uint8Array {
    const whole = new Uint8Array(this.#bytes);
    let offset = 0;
    for (const slice of this.#slices) {
      whole.set(slice, offset);
      offset += slice.length;
    }
    this.#slices = [];
    this.#bytes = 0;
    return whole;
  }
}
