import {
  dataPieces,
  type Envelope,
  type NodeStreamEnd,
  packedData,
  type SendEnvelope,
} from "./_node_envelope.ts";
import { STREAM_QUEUE_MAX, STREAM_RETRANSMIT_MS, STREAM_WINDOW } from "./constants.ts";

/** Options for {@linkcode StreamSender}. */
export interface StreamSenderOptions {
  /** The stream's id, chosen by the requester. */
  id: string;
  self: string;
  /** The requesting node. */
  peer: string;
  send: SendEnvelope;
  /** The stream to forward; aborted when the requester cancels or is gone. */
  items: (signal: AbortSignal) => AsyncIterable<unknown>;
  /** Whether the requesting node still holds a live lease. */
  peerAlive: () => Promise<boolean>;
  peerCheckMs: number;
  onError: (error: unknown) => void;
}

/**
 * The owner's side of a forwarded stream: numbers every message (an opening marker, the
 * items, the end), keeps at most {@linkcode STREAM_WINDOW} unacknowledged, and sends them
 * again when the requester consumed nothing for {@linkcode STREAM_RETRANSMIT_MS} (one is
 * also asked for at once when the requester sees a gap). Items that queue up while a
 * message is sent go together in the next one, as many as fit; an item too large for one
 * travels in pieces. Stops when the requester cancels, is gone, or has consumed the end.
 */
export class StreamSender {
  readonly #o: StreamSenderOptions;
  readonly #abort = new AbortController();
  readonly #unacked: Envelope[] = [];
  /** Items read from the stream, not yet sent. */
  readonly #queue: unknown[] = [];
  /** How the stream ended, once it has. */
  #ended: NodeStreamEnd | undefined;
  #next = 0;
  #acked = 0;
  #ackedAtLastCheck = 0;
  #wakers: (() => void)[] = [];

  constructor(options: StreamSenderOptions) {
    this.#o = options;
  }

  /** The requester consumed every message numbered below `n` and misses `gap`, if given. */
  ack(n: number, gap?: number): void {
    if (n > this.#acked) {
      this.#acked = Math.min(n, this.#next);
      while ((this.#unacked[0]?.n ?? Infinity) < this.#acked) this.#unacked.shift();
      this.#wake();
    }
    const missing = gap === undefined ? undefined : this.#unacked.find((e) => e.n === gap);
    if (missing) this.#o.send(missing).catch((error) => this.#o.onError(error));
  }

  /** The requester no longer wants the stream (or is gone): stop reading it. */
  cancel(): void {
    this.#abort.abort();
    this.#wake();
  }

  /** Forwards the stream until it ends and the end is consumed, or until cancelled. */
  async run(): Promise<void> {
    const signal = this.#abort.signal;
    const resend = setInterval(() => this.#resend(), STREAM_RETRANSMIT_MS);
    const check = setInterval(() => this.#checkPeer(), this.#o.peerCheckMs);
    try {
      await this.#push({ ...this.#base(), k: "data" });
      void this.#read(signal);
      while (true) {
        await this.#until(() => this.#queue.length > 0 || this.#ended !== undefined);
        if (signal.aborted) return;
        if (this.#queue.length === 0) break;
        for (const envelope of this.#take()) await this.#push(envelope);
      }
      await this.#push({ ...this.#base(), k: "data", end: this.#ended! });
      await this.#until(() => this.#acked >= this.#next);
    } catch (error) {
      if (!signal.aborted) this.#o.onError(error);
    } finally {
      clearInterval(resend);
      clearInterval(check);
      this.#abort.abort();
      this.#wake();
    }
  }

  /** Reads the stream into the queue (at most {@linkcode STREAM_QUEUE_MAX} ahead). */
  async #read(signal: AbortSignal): Promise<void> {
    try {
      for await (const item of this.#o.items(signal)) {
        this.#queue.push(item);
        this.#wake();
        await this.#until(() => this.#queue.length < STREAM_QUEUE_MAX);
        if (signal.aborted) break;
      }
      this.#ended = {};
    } catch (error) {
      const code = (error as { code?: unknown })?.code;
      const message = error instanceof Error ? error.message : String(error);
      this.#ended = { error: { code: typeof code === "number" ? code : 0, message } };
    }
    this.#wake();
  }

  /** The next messages: queued items packed together, or the first alone (maybe in pieces). */
  #take(): Envelope[] {
    const packed = packedData(this.#base(), this.#queue);
    if (packed) {
      this.#queue.splice(0, packed.count);
      return [packed.envelope];
    }
    return dataPieces(this.#base(), this.#queue.shift());
  }

  #base() {
    return { id: this.#o.id, from: this.#o.self, to: this.#o.peer };
  }

  async #push(envelope: Envelope): Promise<void> {
    await this.#until(() => this.#next - this.#acked < STREAM_WINDOW);
    if (this.#abort.signal.aborted) return;
    envelope.n = this.#next++;
    this.#unacked.push(envelope);
    await this.#o.send(envelope);
  }

  async #until(done: () => boolean): Promise<void> {
    while (!done() && !this.#abort.signal.aborted) {
      await new Promise<void>((resolve) => this.#wakers.push(resolve));
    }
  }

  #wake(): void {
    const wakers = this.#wakers;
    this.#wakers = [];
    for (const wake of wakers) wake();
  }

  /** Sends what is unacknowledged again when the requester consumed nothing since last time. */
  async #resend(): Promise<void> {
    const progressed = this.#acked !== this.#ackedAtLastCheck;
    this.#ackedAtLastCheck = this.#acked;
    if (progressed || this.#unacked.length === 0) return;
    try {
      for (const envelope of [...this.#unacked]) await this.#o.send(envelope);
    } catch (error) {
      this.#o.onError(error);
    }
  }

  async #checkPeer(): Promise<void> {
    if (await this.#o.peerAlive().catch(() => true)) return;
    this.cancel();
  }
}
