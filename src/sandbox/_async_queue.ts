/**
 * A queue one producer pushes into and one consumer iterates; `close` or `fail` ends it.
 * Each item has a weight (its size in bytes, say); `weight` is the sum of those not yet
 * taken, so the producer can bound what waits.
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  readonly #items: T[] = [];
  readonly #weights: number[] = [];
  #wake: (() => void) | undefined;
  #closed = false;
  #error: unknown;
  #weight = 0;

  /** The total weight of the items pushed and not yet taken. */
  get weight(): number {
    return this.#weight;
  }

  push(item: T, weight = 0): void {
    if (this.#closed) return;
    this.#items.push(item);
    this.#weights.push(weight);
    this.#weight += weight;
    this.#wake?.();
  }

  close(): void {
    this.#closed = true;
    this.#wake?.();
  }

  fail(error: unknown): void {
    this.#error = error ?? new Error("Stream failed");
    this.close();
  }

  /** Fails the queue at once, dropping the items not yet taken. */
  abort(error: unknown): void {
    this.#items.length = 0;
    this.#weights.length = 0;
    this.#weight = 0;
    this.fail(error);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    while (true) {
      if (this.#items.length > 0) {
        this.#weight -= this.#weights.shift()!;
        yield this.#items.shift()!;
        continue;
      }
      if (this.#error !== undefined) throw this.#error;
      if (this.#closed) return;
      await new Promise<void>((resolve) => this.#wake = resolve);
      this.#wake = undefined;
    }
  }
}
