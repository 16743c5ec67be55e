import { DEFAULT_MAX_FRAME_BYTES, HEADER_BYTES, READ_BUFFER_BYTES } from "./constants.ts";
import { FrameError } from "./frame_error.ts";

/** A byte source read into a caller's buffer (`Deno.stdin`, `Deno.Conn`, `Deno.FsFile`). */
export interface ByteSource {
  read(buffer: Uint8Array): Promise<number | null>;
  close?(): void;
}

/** Options for {@linkcode FrameReader}. */
export interface FrameReaderOptions {
  /** Largest payload accepted; a longer declared length ends the channel. */
  maxFrameBytes?: number;
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
  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
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
    if (input instanceof ReadableStream) this.#reader = input.getReader();
    else this.#source = input;
  }

  /** The next frame's payload (a copy the caller owns), or `null` at a clean end of stream. */
  async read(): Promise<Uint8Array | null> {
    while (true) {
      const frame = this.#takeFrame();
      if (frame) return frame;
      if (this.#ended) return this.#finish();
      if (this.#source) await this.#fill(this.#source);
      else {
        const { value, done } = await this.#reader!.read();
        if (done) this.#ended = true;
        else this.#append(value);
      }
    }
  }

  /** Stops reading and releases the underlying stream. */
  async cancel(reason?: unknown): Promise<void> {
    this.#ended = true;
    if (this.#reader) await this.#reader.cancel(reason).catch(() => {});
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
    const payload = this.#buffer.slice(from, from + length);
    this.#start = from + length;
    if (this.#start === this.#end) this.#start = this.#end = 0;
    return payload;
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

  #append(chunk: Uint8Array): void {
    if (this.#end + chunk.length > this.#buffer.length) {
      this.#reserve(this.#end - this.#start + chunk.length);
    }
    this.#buffer.set(chunk, this.#end);
    this.#end += chunk.length;
  }
}
