import type { Envelope, NodeStreamEnd, NodeStreamOpen, SendEnvelope } from "./_node_envelope.ts";
import { STREAM_ACK_EVERY, STREAM_RETRANSMIT_MS } from "./constants.ts";

/** Options for {@linkcode StreamReceiver}. */
export interface StreamReceiverOptions {
  id: string;
  self: string;
  /** The node that owns the job and forwards its stream. */
  owner: string;
  open: NodeStreamOpen;
  send: SendEnvelope;
  /** How long the owner may take to answer the open. */
  openTimeoutMs: number;
  /** Whether the owner still holds the lease it held when the stream was opened. */
  ownerAlive: () => Promise<boolean>;
  peerCheckMs: number;
  /** The error to raise for the owner's error, or when the owner is gone or silent. */
  errorOf: (why: NodeStreamEnd["error"] | "gone" | "silent") => Error;
}

interface Ready {
  /** The number of the last message it was made of. */
  last: number;
  item?: unknown;
  end?: NodeStreamEnd;
}

/**
 * The requester's side of a forwarded stream: puts the owner's numbered messages back in
 * order, drops repeats, joins pieces of one item, and acknowledges what its consumer has
 * taken (so the owner never runs more than a window ahead). Ends with the owner's end, or
 * with an error when the owner fails, does not answer, or stops holding its lease.
 */
export class StreamReceiver {
  readonly #o: StreamReceiverOptions;
  readonly #early = new Map<number, Envelope>();
  readonly #ready: Ready[] = [];
  #expected = 0;
  #partial: { item: Record<string, unknown>; output: string; last: number } | undefined;
  /** The first missing number the owner was last asked for again. */
  #asked = -1;
  #consumed = 0;
  #ackSent = 0;
  #failure: Error | undefined;
  #wake: (() => void) | undefined;

  constructor(options: StreamReceiverOptions) {
    this.#o = options;
  }

  /** A `data` message of this stream arrived (in any order, possibly again). */
  receive(envelope: Envelope): void {
    const n = envelope.n;
    if (typeof n !== "number" || n < this.#expected || this.#early.has(n)) {
      void this.#ack(); // a repeat: the owner missed an acknowledgement
      return;
    }
    this.#early.set(n, envelope);
    for (let next; (next = this.#early.get(this.#expected));) {
      this.#early.delete(this.#expected);
      this.#take(next);
      this.#expected++;
    }
    if (this.#early.size > 0 && this.#asked !== this.#expected) {
      this.#asked = this.#expected; // a gap: ask for the missing message at once
      void this.#ack(this.#expected);
    }
    this.#wake?.();
  }

  /** Ends the stream with `error` (the channel closed, the owner cancelled). */
  fail(error: Error): void {
    this.#failure ??= error;
    this.#wake?.();
  }

  /** The forwarded items, in order; stops (and cancels the owner's side) on `signal`. */
  async *items(signal: AbortSignal): AsyncIterable<unknown> {
    const wake = () => this.#wake?.();
    signal.addEventListener("abort", wake, { once: true });
    const timers = this.#startTimers();
    let ended = false;
    try {
      await this.#send({ k: "open", open: this.#o.open });
      while (true) {
        const entry = this.#ready.shift();
        if (entry) {
          this.#consumed = entry.last + 1;
          if (entry.end) {
            ended = true;
            await this.#ack();
            if (entry.end.error) throw this.#o.errorOf(entry.end.error);
            return;
          }
          if (this.#consumed - this.#ackSent >= STREAM_ACK_EVERY) await this.#ack();
          if ("item" in entry) yield entry.item;
          continue;
        }
        if (this.#failure) throw this.#failure;
        if (signal.aborted) return;
        // Pieces of an item are taken as they come, or a large item would fill the window.
        if (this.#partial) this.#consumed = Math.max(this.#consumed, this.#partial.last + 1);
        if (this.#consumed > this.#ackSent) {
          await this.#ack();
          continue; // messages may have arrived while the ack was sent: look again first
        }
        await new Promise<void>((resolve) => this.#wake = resolve);
      }
    } finally {
      signal.removeEventListener("abort", wake);
      timers.stop();
      if (!ended) await this.#send({ k: "cancel" }).catch(() => {});
    }
  }

  #take(envelope: Envelope): void {
    const last = envelope.n!;
    if (envelope.end) return void this.#ready.push({ last, end: envelope.end });
    if (!("d" in envelope)) return void this.#ready.push({ last }); // the opening marker
    if (envelope.many && Array.isArray(envelope.d)) {
      for (const item of envelope.d) this.#ready.push({ last, item });
      return;
    }
    const piece = envelope.d as Record<string, unknown>;
    if (envelope.more || this.#partial) {
      const output = (this.#partial?.output ?? "") + String(piece?.output ?? "");
      this.#partial = { item: piece, output, last };
      if (envelope.more) return;
      this.#ready.push({ last, item: { ...this.#partial.item, output } });
      this.#partial = undefined;
      return;
    }
    this.#ready.push({ last, item: envelope.d });
  }

  /** Re-sends the open until the owner answers; checks that the owner is still there. */
  #startTimers() {
    const started = Date.now();
    const reopen = setInterval(() => {
      if (this.#expected > 0) return clearInterval(reopen);
      if (Date.now() - started >= this.#o.openTimeoutMs) {
        return this.fail(this.#o.errorOf("silent"));
      }
      void this.#send({ k: "open", open: this.#o.open }).catch(() => {});
    }, Math.min(STREAM_RETRANSMIT_MS, this.#o.openTimeoutMs));
    const check = setInterval(async () => {
      if (!await this.#o.ownerAlive().catch(() => true)) this.fail(this.#o.errorOf("gone"));
    }, this.#o.peerCheckMs);
    return {
      stop() {
        clearInterval(reopen);
        clearInterval(check);
      },
    };
  }

  /** Tells the owner what was consumed and, with `gap`, the first message missing. */
  async #ack(gap?: number): Promise<void> {
    const n = this.#consumed;
    this.#ackSent = Math.max(this.#ackSent, n);
    await this.#send({ k: "ack", n, ...(gap === undefined ? {} : { gap }) }).catch(() => {});
  }

  #send(envelope: Pick<Envelope, "k"> & Partial<Envelope>): Promise<void> {
    return this.#o.send({ id: this.#o.id, from: this.#o.self, to: this.#o.owner, ...envelope });
  }
}
