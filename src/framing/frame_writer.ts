import {
  DEFAULT_MAX_FRAME_BYTES,
  DIRECT_WRITE_BYTES,
  HEADER_BYTES,
  WRITE_BATCH_BYTES,
} from "./constants.ts";
import { FrameError } from "./frame_error.ts";

/**
 * A byte sink that may write part of a buffer (`Deno.stdout`, `Deno.Conn`, `Deno.FsFile`).
 * Like `Deno.Writer`, it must not keep the buffer once `write` resolved: the writer reuses it.
 */
export interface ByteSink {
  write(bytes: Uint8Array): Promise<number>;
  /** Writes at least one byte, blocking the caller meanwhile (`Deno.stdout.writeSync`). */
  writeSync?(bytes: Uint8Array): number;
  close?(): void;
}

/** Options for {@linkcode FrameWriter}. */
export interface FrameWriterOptions {
  /** Largest payload accepted; `write` throws a `FrameError` for a longer one. */
  maxFrameBytes?: number;
  /**
   * Batches of at most this many bytes go through the sink's `writeSync`, when it has one
   * (default 0: never). On Deno's stdio an asynchronous write is a trip through the blocking
   * thread pool (about 35 µs of CPU), a synchronous one about 3 µs; but it blocks the event
   * loop while the pipe is full, so only for a reader that keeps up, and small batches.
   */
  syncWriteBytes?: number;
}

/**
 * The one queued writer of a byte stream: frames each payload with a 4-byte big-endian
 * length and gathers the frames queued while a write is in flight into one write.
 *
 * `write` never awaits and never interleaves two frames; `flush` resolves when every
 * queued frame has been handed to the stream.
 */
export class FrameWriter implements AsyncDisposable {
  readonly maxFrameBytes: number;
  readonly #syncWriteBytes: number;
  #writer: WritableStreamDefaultWriter<Uint8Array> | undefined;
  #sink: ByteSink | undefined;
  #queue: Uint8Array[] = [];
  /** Reused for every batch to a ByteSink: a fresh megabyte per write costs page faults. */
  #batch = new Uint8Array(0);
  #pumping: Promise<void> | undefined;
  #failure: FrameError | undefined;
  #closed = false;
  #queuedBytes = 0;
  #waiters: (() => void)[] = [];

  /** Writes to a Web stream, or to a {@linkcode ByteSink} (the faster path: no stream layer). */
  constructor(output: WritableStream<Uint8Array> | ByteSink, options: FrameWriterOptions = {}) {
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.#syncWriteBytes = options.syncWriteBytes ?? 0;
    if (output instanceof WritableStream) this.#writer = output.getWriter();
    else this.#sink = output;
  }

  /** The error that stopped the writer, if any (for example a broken pipe). */
  get failure(): FrameError | undefined {
    return this.#failure;
  }

  /** Bytes queued and not yet handed to the stream (headers included). */
  get queuedBytes(): number {
    return this.#queuedBytes;
  }

  /**
   * Resolves once at most `bytes` are queued (or the writer failed): a producer that
   * awaits it before queueing more cannot outrun a slow reader by more than that.
   */
  async whenBelow(bytes: number): Promise<void> {
    while (this.#queuedBytes > bytes && !this.#failure) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /** Queues one frame. Throws `FrameError` when the payload is too long or the writer is closed. */
  write(payload: Uint8Array): void {
    if (this.#failure) throw this.#failure;
    if (this.#closed) throw new FrameError("closed", "Cannot write frame: writer is closed");
    if (payload.length > this.maxFrameBytes) {
      throw new FrameError(
        "oversize",
        `Cannot write frame: length ${payload.length} exceeds limit ${this.maxFrameBytes}`,
      );
    }
    const header = new Uint8Array(HEADER_BYTES);
    new DataView(header.buffer).setUint32(0, payload.length, false);
    this.#queue.push(header, payload);
    this.#queuedBytes += HEADER_BYTES + payload.length;
    this.#pumping ??= this.#pump();
  }

  /** Resolves once every queued frame is written; rejects with the write failure. */
  async flush(): Promise<void> {
    while (this.#pumping) await this.#pumping;
    if (this.#failure) throw this.#failure;
  }

  /** Flushes, then closes the underlying stream. Safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.flush();
      if (this.#writer) await this.#writer.close();
      else this.#sink?.close?.();
    } catch (error) {
      if (!this.#failure) throw error;
    } finally {
      this.#writer?.releaseLock();
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close().catch(() => {});
  }

  async #pump(): Promise<void> {
    await Promise.resolve();
    try {
      while (this.#queue.length > 0) {
        if (this.#queue.length === 2 && this.#queue[1]!.length >= DIRECT_WRITE_BYTES) {
          // A lone large frame goes out as header then payload: two writes beat a copy.
          const [header, payload] = this.#queue.splice(0, 2);
          await this.#send(header!);
          await this.#send(payload!);
          this.#sent(header!.length + payload!.length);
        } else {
          const batch = this.#takeBatch();
          await this.#send(batch);
          this.#sent(batch.length);
        }
      }
    } catch (error) {
      this.#failure = new FrameError("closed", `Cannot write frame: ${errorText(error)}`, {
        cause: error,
      });
      this.#queue = [];
      this.#sent(this.#queuedBytes);
    } finally {
      this.#pumping = undefined;
    }
  }

  #sent(bytes: number): void {
    this.#queuedBytes -= bytes;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  async #send(batch: Uint8Array): Promise<void> {
    if (this.#writer) return await this.#writer.write(batch);
    let offset = 0;
    if (this.#sink!.writeSync && batch.length <= this.#syncWriteBytes) {
      while (offset < batch.length) offset += this.#sink!.writeSync(batch.subarray(offset));
      return;
    }
    while (offset < batch.length) offset += await this.#sink!.write(batch.subarray(offset));
  }

  /**
   * Joins queued parts into one buffer of about WRITE_BATCH_BYTES (more for one big frame).
   * A Web stream may hold on to a chunk after its write resolved, so it gets a fresh one.
   */
  #takeBatch(): Uint8Array {
    let count = 0;
    let bytes = 0;
    while (count < this.#queue.length && (bytes < WRITE_BATCH_BYTES || count % 2 === 1)) {
      bytes += this.#queue[count]!.length;
      count += 1;
    }
    const parts = this.#queue.splice(0, count);
    let batch: Uint8Array;
    // A batch with a frame far above the batch size is not worth keeping around.
    if (this.#writer || bytes > 2 * WRITE_BATCH_BYTES) batch = new Uint8Array(bytes);
    else {
      if (this.#batch.length < bytes) this.#batch = new Uint8Array(bytes);
      batch = this.#batch.subarray(0, bytes);
    }
    let offset = 0;
    for (const part of parts) {
      batch.set(part, offset);
      offset += part.length;
    }
    return batch;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
