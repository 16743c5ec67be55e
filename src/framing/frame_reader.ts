import {
  DEFAULT_MAX_FRAME_BYTES,
  HEADER_BYTES,
  LARGE_FRAME_BYTES,
  READ_BUFFER_BYTES,
} from "./constants.ts";
import { FrameError } from "./frame_error.ts";

/** A byte source read into a caller's buffer (`Deno.stdin`, `Deno.Conn`, `Deno.FsFile`). */
export interface ByteSource {
  read(buffer: Uint8Array): Promise<number | null>;
  close?(): void;
}

/**
 * A {@linkcode ByteSource} has `read(buffer)`, a Web stream has not. Told apart without the
 * `ReadableStream` global: its first use loads Deno's streams implementation (about 200 page
 * faults), which would otherwise come before a Launcher host's Bootstrap answer.
 */
function isByteSource(input: ReadableStream<Uint8Array> | ByteSource): input is ByteSource {
  return typeof (input as Partial<ByteSource>).read === "function";
}

/** Options for {@linkcode FrameReader}. */
export interface FrameReaderOptions {
  /** Largest payload accepted; a longer declared length ends the channel. */
  maxFrameBytes?: number;
  /**
   * Hand out payloads that sit whole in the reader's buffer as views of it instead of
   * copies (large frames read straight into their own arrays stay the caller's): no
   * allocation per frame, for a caller that is done with each payload before it reads the
   * next (the view's bytes change on the next `read` or `takeBuffered`). Default false.
   */
  lendPayloads?: boolean;
}

/**
 * Reads 4-byte big-endian length-prefixed frames from a byte stream.
 *
 * Headers split across chunks and several frames in one chunk are both handled; the
 * declared length is checked against the limit before anything is allocated for it.
 * `read()` resolves `null` on a clean end of stream and throws a `FrameError` when the
 * stream ends inside a frame or a frame is too long.
 */
export class FrameReader implements AsyncIterable<Uint8Array> {
  readonly maxFrameBytes: number;
  readonly #lend: boolean;
  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  #byob: ReadableStreamBYOBReader | undefined;
  #source: ByteSource | undefined;
  #buffer = new Uint8Array(READ_BUFFER_BYTES);
  #start = 0;
  #end = 0;
  #ended = false;

  /**
   * Reads from a Web stream, or from a {@linkcode ByteSource}: the faster path, which
   * reads straight into the reusable buffer without a chunk per read.
   */
  constructor(input: ReadableStream<Uint8Array> | ByteSource, options: FrameReaderOptions = {}) {
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.#lend = options.lendPayloads ?? false;
    if (isByteSource(input)) this.#source = input;
    else {
      try {
        this.#byob = input.getReader({ mode: "byob" });
      } catch {
        this.#reader = input.getReader();
      }
    }
  }

  /**
   * The next frame's payload (a copy the caller owns, unless `lendPayloads`), or `null` at
   * a clean end of stream.
   */
  async read(): Promise<Uint8Array | null> {
    while (true) {
      const frame = this.#takeFrame();
      if (frame) return frame;
      if (this.#ended) return this.#finish();
      const large = this.#largeFrameLength();
      if (large !== undefined && !this.#reader) return await this.#readLarge(large);
      if (this.#source) await this.#fill(this.#source);
      else if (this.#byob) await this.#fillByob(this.#byob);
      else {
        const { value, done } = await this.#reader!.read();
        if (done) this.#ended = true;
        else this.#append(value);
      }
    }
  }

  /**
   * The next frame if the bytes already read hold all of it, without reading more: a caller
   * that takes every buffered frame before awaiting `read` answers them all in one turn,
   * so a queued writer sends their answers in one write. Throws like `read`.
   */
  takeBuffered(): Uint8Array | undefined {
    return this.#takeFrame();
  }

  /** Stops reading and releases the underlying stream. */
  async cancel(reason?: unknown): Promise<void> {
    this.#ended = true;
    const reader = this.#reader ?? this.#byob;
    if (reader) await reader.cancel(reason).catch(() => {});
    else {
      try {
        this.#source?.close?.();
      } catch {
        // already closed
      }
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    while (true) {
      const frame = await this.read();
      if (frame === null) return;
      yield frame;
    }
  }

  #finish(): null {
    const pending = this.#end - this.#start;
    if (pending === 0) return null;
    throw new FrameError(
      "truncated",
      `Cannot read frame: stream ended after ${pending} of ${this.#expectedBytes()} bytes`,
    );
  }

  #expectedBytes(): string {
    if (this.#end - this.#start < HEADER_BYTES) return `${HEADER_BYTES} header`;
    return String(HEADER_BYTES + this.#declaredLength());
  }

  #declaredLength(): number {
    const view = new DataView(this.#buffer.buffer, this.#buffer.byteOffset + this.#start, 4);
    return view.getUint32(0, false);
  }

  #takeFrame(): Uint8Array | undefined {
    const available = this.#end - this.#start;
    if (available < HEADER_BYTES) return undefined;
    const length = this.#declaredLength();
    if (length > this.maxFrameBytes) {
      throw new FrameError(
        "oversize",
        `Cannot read frame: declared length ${length} exceeds limit ${this.maxFrameBytes}`,
      );
    }
    if (available < HEADER_BYTES + length) {
      this.#reserve(HEADER_BYTES + length);
      return undefined;
    }
    const from = this.#start + HEADER_BYTES;
    const payload = this.#lend
      ? this.#buffer.subarray(from, from + length)
      : this.#buffer.slice(from, from + length);
    this.#start = from + length;
    if (this.#start === this.#end) this.#start = this.#end = 0;
    return payload;
  }

  /** The length of a large frame whose header is buffered and payload is not yet complete. */
  #largeFrameLength(): number | undefined {
    if (this.#end - this.#start < HEADER_BYTES) return undefined;
    const length = this.#declaredLength();
    return length >= LARGE_FRAME_BYTES ? length : undefined;
  }

  /**
   * Reads a large payload straight into its own array, which goes to the caller as is:
   * one copy fewer than buffering it and slicing it out. A short tail (less than
   * LARGE_FRAME_BYTES) is read through the buffer instead, so the same read also takes the
   * next frame's start: a pipe hands out at most 64 KiB a read, and reading exactly the
   * last few bytes of each frame would double the number of reads.
   */
  async #readLarge(length: number): Promise<Uint8Array> {
    const from = this.#start + HEADER_BYTES;
    let payload = new Uint8Array(length);
    payload.set(this.#buffer.subarray(from, this.#end), 0);
    let filled = this.#end - from;
    this.#start = this.#end = 0;
    while (filled < length) {
      if (length - filled < LARGE_FRAME_BYTES) {
        filled += await this.#readTail(payload, filled);
        continue;
      }
      const target = payload.subarray(filled);
      let read: number | null = null;
      if (this.#source) read = await this.#source.read(target);
      else {
        const { value } = await this.#byob!.read(target);
        if (value) {
          payload = new Uint8Array(value.buffer, 0, length);
          read = value.byteLength;
        }
      }
      if (read === null || read === 0) {
        this.#ended = true;
        throw new FrameError(
          "truncated",
          `Cannot read frame: stream ended after ${HEADER_BYTES + filled} of ${
            HEADER_BYTES + length
          } bytes`,
        );
      }
      filled += read;
    }
    return payload;
  }

  /** Fills the (empty) buffer once and moves what belongs to `payload` from `filled` on. */
  async #readTail(payload: Uint8Array, filled: number): Promise<number> {
    if (this.#source) await this.#fill(this.#source);
    else await this.#fillByob(this.#byob!);
    const moved = Math.min(payload.length - filled, this.#end - this.#start);
    if (moved === 0) {
      throw new FrameError(
        "truncated",
        `Cannot read frame: stream ended after ${HEADER_BYTES + filled} of ${
          HEADER_BYTES + payload.length
        } bytes`,
      );
    }
    payload.set(this.#buffer.subarray(this.#start, this.#start + moved), filled);
    this.#start += moved;
    if (this.#start === this.#end) this.#start = this.#end = 0;
    return moved;
  }

  /** Makes room for `bytes` contiguous bytes starting at the unread data. */
  #reserve(bytes: number): void {
    if (this.#start + bytes <= this.#buffer.length) return;
    const pending = this.#buffer.subarray(this.#start, this.#end);
    const target = bytes <= this.#buffer.length
      ? this.#buffer
      : new Uint8Array(Math.max(bytes, this.#buffer.length * 2));
    target.set(pending, 0);
    this.#buffer = target;
    this.#end -= this.#start;
    this.#start = 0;
  }

  /** Reads whatever is available into the free end of the buffer. */
  async #fill(source: ByteSource): Promise<void> {
    if (this.#end === this.#buffer.length) {
      this.#reserve(this.#buffer.length - this.#start + READ_BUFFER_BYTES);
    }
    let read: number | null;
    try {
      read = await source.read(this.#buffer.subarray(this.#end));
    } catch (error) {
      if (this.#ended) read = null;
      else throw error;
    }
    if (read === null) this.#ended = true;
    else this.#end += read;
  }

  /**
   * Reads a byte stream straight into the free end of the buffer (one copy less than
   * chunk reads). A BYOB read transfers the buffer's memory, so the returned view's
   * buffer becomes ours again.
   */
  async #fillByob(reader: ReadableStreamBYOBReader): Promise<void> {
    if (this.#end === this.#buffer.length) {
      this.#reserve(this.#buffer.length - this.#start + READ_BUFFER_BYTES);
    }
    const free = new Uint8Array(
      this.#buffer.buffer,
      this.#buffer.byteOffset + this.#end,
      this.#buffer.length - this.#end,
    );
    const capacity = this.#buffer.length;
    const { value, done } = await reader.read(free);
    if (value) {
      this.#buffer = new Uint8Array(value.buffer, value.byteOffset - this.#end, capacity);
      this.#end += value.byteLength;
    }
    if (done) this.#ended = true;
  }

  #append(chunk: Uint8Array): void {
    if (this.#end + chunk.length > this.#buffer.length) {
      this.#reserve(this.#end - this.#start + chunk.length);
    }
    this.#buffer.set(chunk, this.#end);
    this.#end += chunk.length;
  }
}
