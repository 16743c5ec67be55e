/**
 * Gathers messages sent in one go of the microtask queue and hands them on together, in
 * order: a burst of calls (or of replies) crosses each hop as one frame or one
 * `postMessage` instead of one per message. {@linkcode flush} hands on what is queued now.
 */
export class MessageBatch<T> {
  readonly #deliver: (messages: T[]) => void;
  #queued: T[] = [];
  #scheduled = false;

  /** `deliver` gets each batch (never empty). */
  constructor(deliver: (messages: T[]) => void) {
    this.#deliver = deliver;
  }

  /** Queues `message` for the batch delivered once the current microtasks have run. */
  push(message: T): void {
    this.#queued.push(message);
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      this.flush();
    });
  }

  /** Delivers what is queued now (nothing when the queue is empty). */
  flush(): void {
    if (this.#queued.length === 0) return;
    const messages = this.#queued;
    this.#queued = [];
    this.#deliver(messages);
  }
}
