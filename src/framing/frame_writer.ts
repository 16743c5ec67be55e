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

/**
 * A {@linkcode ByteSink} has `write(bytes)`, a Web stream has not. Told apart without the
 * `WritableStream` global: its first use loads Deno's streams implementation (about 200 page
 * faults), which would otherwise come before a Launcher host's Bootstrap answer.
 */
function isByteSink(output: WritableStream<Uint8Array> | ByteSink): output is ByteSink {
  return typeof (output as Partial<ByteSink>).write === "function";
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
  /** Byte runs ready to write, in order: stage runs and large payloads. */
  #queue: Uint8Array[] = [];
  /** Reused for every batch to a ByteSink: a fresh megabyte per write costs page faults. */
  #batch = new Uint8Array(0);
  /**
   * Small frames to a ByteSink are framed straight into this buffer, header included, so
   * writing one costs no allocation; `#stageFrom` to `#stageEnd` is not yet in the queue.
   * Queued runs may still point into it, so it is rewound only once the queue is empty.
   */
  #stage = new Uint8Array(0);
  #stageFrom = 0;
  #stageEnd = 0;
  #pumping: Promise<void> | undefined;
  #failure: FrameError | undefined;
  #closed = false;
  #queuedBytes = 0;
  #waiters: (() => void)[] = [];

  /** Writes to a Web stream, or to a {@linkcode ByteSink} (the faster path: no stream layer). */
  constructor(output: WritableStream<Uint8Array> | ByteSink, options: FrameWriterOptions = {}) {
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.#syncWriteBytes = options.syncWriteBytes ?? 0;
    if (isByteSink(output)) this.#sink = output;
    else this.#writer = output.getWriter();
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

  /**
   * Queues one frame. A payload under {@linkcode DIRECT_WRITE_BYTES} is copied at once (the
   * caller may reuse its array); a larger one is kept until written. Throws `FrameError`
   * when the payload is too long or the writer is closed.
   */
  write(payload: Uint8Array): void {
    this.#assertWritable(payload.length);
    if (this.#sink && payload.length < DIRECT_WRITE_BYTES) {
      const at = this.#reserveStage(payload.length);
      this.#stage.set(payload, at + HEADER_BYTES);
      return this.#commitStage(at, payload.length);
    }
    const header = new Uint8Array(HEADER_BYTES);
    new DataView(header.buffer).setUint32(0, payload.length, false);
    this.#sealStage();
    this.#queue.push(header, payload);
    this.#queued(HEADER_BYTES + payload.length);
  }

  /**
   * Queues one frame whose payload `fill` writes into `target` (at most `maxBytes` long),
   * returning its length: text encoded with `TextEncoder.encodeInto` goes straight into the
   * write buffer, with no array of its own. Throws like `write`; when `fill` throws or
   * returns a length above `maxFrameBytes`, nothing is queued.
   */
  writeWith(maxBytes: number, fill: (target: Uint8Array) => number): void {
    this.#assertWritable(0);
    if (!this.#sink || maxBytes >= DIRECT_WRITE_BYTES) {
      const scratch = new Uint8Array(maxBytes);
      return this.write(scratch.subarray(0, checkedLength(fill(scratch), maxBytes)));
    }
    const at = this.#reserveStage(maxBytes);
    const length = checkedLength(
      fill(this.#stage.subarray(at + HEADER_BYTES, at + HEADER_BYTES + maxBytes)),
      maxBytes,
    );
    this.#assertWritable(length);
    this.#commitStage(at, length);
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

  #assertWritable(length: number): void {
    if (this.#failure) throw this.#failure;
    if (this.#closed) throw new FrameError("closed", "Cannot write frame: writer is closed");
    if (length > this.maxFrameBytes) {
      throw new FrameError(
        "oversize",
        `Cannot write frame: length ${length} exceeds limit ${this.maxFrameBytes}`,
      );
    }
  }

  /** Room for a header and `bytes` at the stage's end; returns where the header goes. */
  #reserveStage(bytes: number): number {
    const needed = this.#stageEnd + HEADER_BYTES + bytes;
    if (needed > this.#stage.length) {
      // Runs already queued keep the old array alive; only the unqueued tail moves.
      const tail = this.#stage.subarray(this.#stageFrom, this.#stageEnd);
      const grown = new Uint8Array(
        Math.max(STAGE_BYTES, 2 * (tail.length + HEADER_BYTES + bytes)),
      );
      grown.set(tail, 0);
      this.#stage = grown;
      this.#stageEnd = tail.length;
      this.#stageFrom = 0;
    }
    return this.#stageEnd;
  }

  #commitStage(at: number, length: number): void {
    new DataView(this.#stage.buffer, this.#stage.byteOffset + at, HEADER_BYTES)
      .setUint32(0, length, false);
    this.#stageEnd = at + HEADER_BYTES + length;
    this.#queued(HEADER_BYTES + length);
  }

  /** Moves the staged frames into the queue, as one run, keeping their order with the rest. */
  #sealStage(): void {
    if (this.#stageEnd === this.#stageFrom) return;
    this.#queue.push(this.#stage.subarray(this.#stageFrom, this.#stageEnd));
    this.#stageFrom = this.#stageEnd;
  }

  #queued(bytes: number): void {
    this.#queuedBytes += bytes;
    this.#pumping ??= this.#pump();
  }

  async #pump(): Promise<void> {
    await Promise.resolve();
    try {
      while (this.#sealStage(), this.#queue.length > 0) {
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
      this.#stageFrom = this.#stageEnd;
      this.#sent(this.#queuedBytes);
    } finally {
      this.#pumping = undefined;
      this.#rewindStage();
    }
  }

  /** With nothing queued, the stage starts over (a large one is dropped after a burst). */
  #rewindStage(): void {
    if (this.#queue.length > 0 || this.#stageEnd !== this.#stageFrom) return;
    this.#stageFrom = this.#stageEnd = 0;
    if (this.#stage.length > 2 * WRITE_BATCH_BYTES) this.#stage = new Uint8Array(0);
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
    while (count < this.#queue.length && bytes < WRITE_BATCH_BYTES) {
      bytes += this.#queue[count]!.length;
      count += 1;
    }
    const parts = this.#queue.splice(0, count);
    // One run (the staged frames of a turn) is written as it is: no copy.
    if (parts.length === 1 && this.#sink) return parts[0]!;
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

/** A stage holds at least this much, so a turn's small answers fit without regrowing it. */
const STAGE_BYTES = 64 * 1024;

function checkedLength(length: number, maxBytes: number): number {
  if (!Number.isInteger(length) || length < 0 || length > maxBytes) {
    throw new RangeError(`Cannot write frame: fill returned ${length}, not 0 to ${maxBytes}`);
  }
  return length;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
