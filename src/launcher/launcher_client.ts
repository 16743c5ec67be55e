import { FrameReader, FrameWriter } from "../framing/mod.ts";
import { decodeMessage, encodeMessage } from "./codec.ts";
import { RequestType, ResponseType } from "./messages.ts";

/** A message received from a plugin. */
export type Message = Record<string, unknown> & { messageType: number; requestId: number };

interface Waiter {
  resolve(message: Message): void;
  reject(error: Error): void;
}

/** A stream's messages as they arrive; iteration ends when the stream completes or errs. */
class StreamQueue implements AsyncIterable<Message> {
  readonly #items: Message[] = [];
  #wake: (() => void) | undefined;
  #done = false;

  push(message: Message): void {
    this.#items.push(message);
    if (message.messageType === ResponseType.Error || message.complete === true) this.#done = true;
    this.#wake?.();
  }

  end(): void {
    this.#done = true;
    this.#wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Message> {
    while (true) {
      const next = this.#items.shift();
      if (next) {
        yield next;
        continue;
      }
      if (this.#done) return;
      await new Promise<void>((resolve) => this.#wake = resolve);
      this.#wake = undefined;
    }
  }
}

/**
 * The Launcher's side of the plugin protocol over a pair of byte streams: numbers
 * requests, matches replies by `requestId` (and stream messages by `sequences`), and keeps
 * every received message for inspection. Used by `launchbox client` and the wire tests.
 */
export class LauncherClient implements AsyncDisposable {
  readonly received: Message[] = [];
  readonly heartbeats: Message[] = [];
  /** Plugin API 3.7 Metrics messages (unsolicited, like heartbeats). */
  readonly metrics: Message[] = [];
  readonly #reader: FrameReader;
  readonly #writer: FrameWriter;
  readonly #waiters = new Map<number, Waiter>();
  readonly #streams = new Map<number, StreamQueue>();
  readonly #pump: Promise<void>;
  #nextRequestId = 1;
  #closedError: Error | undefined;
  #readError: Error | undefined;

  constructor(
    readable: ReadableStream<Uint8Array>,
    writable: WritableStream<Uint8Array>,
    options: { maxFrameBytes?: number } = {},
  ) {
    this.#reader = new FrameReader(readable, options);
    this.#writer = new FrameWriter(writable, options);
    this.#pump = this.#readAll();
  }

  /** A fresh request ID (never 0, which Bootstrap and Heartbeat use). */
  nextRequestId(): number {
    return this.#nextRequestId++;
  }

  /** A request of `user` with a fresh ID and the user fields the Launcher always sends. */
  userRequest(
    messageType: number,
    user: string,
    extra: Record<string, unknown> = {},
  ): Record<string, unknown> & { requestId: number } {
    return {
      messageType,
      requestId: this.nextRequestId(),
      username: user,
      requestUsername: user,
      ...extra,
    };
  }

  /** Sends a message as it is (for malformed-input tests, send raw bytes with `sendBytes`). */
  send(message: Record<string, unknown>): void {
    this.#writer.write(encodeMessage(message));
  }

  /** Sends one frame holding exactly these bytes. */
  sendBytes(payload: Uint8Array): void {
    this.#writer.write(payload);
  }

  /**
   * Sends a request and resolves with the first message answering its `requestId`. Rejects,
   * without waiting, when the plugin has closed its output or the request cannot be sent
   * (too long for a frame, writer closed): no waiter is left for a reply that cannot come.
   */
  request(message: Record<string, unknown> & { requestId: number }): Promise<Message> {
    if (this.#closedError) return Promise.reject(this.#closedError);
    const reply = new Promise<Message>((resolve, reject) => {
      this.#waiters.set(message.requestId, { resolve, reject });
    });
    try {
      this.send(message);
    } catch (error) {
      this.#waiters.delete(message.requestId);
      return Promise.reject(error);
    }
    return reply;
  }

  /** Opens a stream; its messages arrive in order until `complete`, an Error or `cancel`. */
  openStream(message: Record<string, unknown> & { requestId: number }): AsyncIterable<Message> {
    const queue = new StreamQueue();
    this.#streams.set(message.requestId, queue);
    this.send({ cancel: false, ...message });
    return queue;
  }

  /** Cancels a stream (same type, request ID and job ID with `cancel: true`). */
  cancelStream(message: Record<string, unknown> & { requestId: number }): void {
    this.#streams.get(message.requestId)?.end();
    this.#streams.delete(message.requestId);
    this.send({ ...message, cancel: true });
  }

  bootstrap(major = 3, minor = 6): Promise<Message> {
    const version = { major, minor, patch: 0 };
    return this.request({ messageType: RequestType.Bootstrap, requestId: 0, version });
  }

  /** Why reading stopped, when it was not a clean end (bad frame or non-JSON bytes). */
  get readError(): Error | undefined {
    return this.#readError;
  }

  /** Resolves when the plugin closes its output. */
  get closed(): Promise<void> {
    return this.#pump;
  }

  async close(): Promise<void> {
    await this.#writer.close().catch(() => {});
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
    await this.#reader.cancel().catch(() => {});
  }

  async #readAll(): Promise<void> {
    try {
      for await (const payload of this.#reader) this.#route(decodeMessage(payload) as Message);
      this.#closedError = new Error("Plugin closed its output");
    } catch (error) {
      this.#readError = error instanceof Error ? error : new Error(String(error));
      this.#closedError = this.#readError;
    }
    for (const waiter of this.#waiters.values()) waiter.reject(this.#closedError);
    for (const stream of this.#streams.values()) stream.end();
    this.#waiters.clear();
  }

  #route(message: Message): void {
    this.received.push(message);
    if (message.messageType === ResponseType.Heartbeat) return void this.heartbeats.push(message);
    if (message.messageType === ResponseType.Metrics) return void this.metrics.push(message);
    const sequences = message.sequences as { requestId: number }[] | undefined;
    if (Array.isArray(sequences)) {
      for (const { requestId } of sequences) this.#streams.get(requestId)?.push(message);
      return;
    }
    const stream = this.#streams.get(message.requestId);
    if (stream) return stream.push(message);
    const waiter = this.#waiters.get(message.requestId);
    this.#waiters.delete(message.requestId);
    waiter?.resolve(message);
  }
}
