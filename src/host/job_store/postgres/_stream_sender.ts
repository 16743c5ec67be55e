import {
  dataPieces,
  type Envelope,
  type NodeStreamEnd,
  type SendEnvelope,
} from "./_node_envelope.ts";
import { STREAM_RETRANSMIT_MS, STREAM_WINDOW } from "./constants.ts";

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
 * items, pieces of items too large for one notification, the end), keeps at most
 * {@linkcode STREAM_WINDOW} unacknowledged, and sends them again when no acknowledgement
 * came for {@linkcode STREAM_RETRANSMIT_MS} (one is also asked for at once when the
 * requester sees a gap). Stops when the requester cancels, is gone,
 * or has consumed the end.
 */
export class StreamSender {
  readonly #o: StreamSenderOptions;
  readonly #abort = new AbortController();
  readonly #unacked: Envelope[] = [];
  #next = 0;
  #acked = 0;
  #ackedAtLastCheck = 0;
  #wake: (() => void) | undefined;

  constructor(options: StreamSenderOptions) {
    this.#o = options;
  }

  /** The requester consumed every message numbered below `n` and misses `gap`, if given. */
  ack(n: number, gap?: number): void {
    if (n > this.#acked) {
      this.#acked = Math.min(n, this.#next);
      while ((this.#unacked[0]?.n ?? Infinity) < this.#acked) this.#unacked.shift();
      this.#wake?.();
    }
    const missing = gap === undefined ? undefined : this.#unacked.find((e) => e.n === gap);
    if (missing) this.#o.send(missing).catch((error) => this.#o.onError(error));
  }

  /** The requester no longer wants the stream (or is gone): stop reading it. */
  cancel(): void {
    this.#abort.abort();
    this.#wake?.();
  }

  /** Forwards the stream until it ends and the end is consumed, or until cancelled. */
  async run(): Promise<void> {
    const signal = this.#abort.signal;
    const resend = setInterval(() => this.#resend(), STREAM_RETRANSMIT_MS);
    const check = setInterval(() => this.#checkPeer(), this.#o.peerCheckMs);
    try {
      await this.#push({ ...this.#base(), k: "data" });
      const end = await this.#forward(signal);
      if (signal.aborted) return;
      await this.#push({ ...this.#base(), k: "data", end });
      await this.#until(() => this.#acked >= this.#next);
    } catch (error) {
      if (!signal.aborted) this.#o.onError(error);
    } finally {
      clearInterval(resend);
      clearInterval(check);
      this.#abort.abort();
    }
  }

  async #forward(signal: AbortSignal): Promise<NodeStreamEnd> {
    try {
      for await (const item of this.#o.items(signal)) {
        for (const piece of dataPieces(this.#base(), item)) await this.#push(piece);
        if (signal.aborted) break;
      }
      return {};
    } catch (error) {
      const code = (error as { code?: unknown })?.code;
      const message = error instanceof Error ? error.message : String(error);
      return { error: { code: typeof code === "number" ? code : 0, message } };
    }
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
      await new Promise<void>((resolve) => this.#wake = resolve);
    }
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
