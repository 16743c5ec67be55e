/** What one bounded read of a stream gave. */
export type Read<T> = { kind: "item"; value: T } | { kind: "end" } | { kind: "stopped" };

/**
 * Reads an async iterable one item at a time, each read bounded by a deadline or a signal.
 * A read that gives up leaves its pull pending and the next read continues it, so no item
 * is lost and a plugin's generator is never asked for two items at once.
 */
export class Reader<T> {
  readonly #iterator: AsyncIterator<T>;
  #pending: Promise<IteratorResult<T>> | undefined;

  constructor(iterable: AsyncIterable<T>) {
    this.#iterator = iterable[Symbol.asyncIterator]();
  }

  /** The next item, the end, or `stopped` when `deadline` (epoch ms) passes or `signal` aborts. */
  async read(limits: { deadline?: number; signal?: AbortSignal }): Promise<Read<T>> {
    if (!this.#pending) {
      this.#pending = this.#iterator.next();
      this.#pending.catch(() => {});
    }
    const stop = stopper(limits);
    try {
      const result = await Promise.race([this.#pending, stop.promise]);
      if (result === "stopped") return { kind: "stopped" };
      this.#pending = undefined;
      return result.done ? { kind: "end" } : { kind: "item", value: result.value };
    } finally {
      stop.dispose();
    }
  }

  /** Asks the iterable to finish without waiting for it (it may be stuck). */
  close(): void {
    this.#iterator.return?.().catch(() => {});
  }
}

function stopper(limits: { deadline?: number; signal?: AbortSignal }) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort = () => {};
  const promise = new Promise<"stopped">((resolve) => {
    onAbort = () => resolve("stopped");
    if (limits.signal?.aborted) return resolve("stopped");
    limits.signal?.addEventListener("abort", onAbort, { once: true });
    if (limits.deadline !== undefined) {
      timer = setTimeout(onAbort, Math.max(0, limits.deadline - Date.now()));
    }
  });
  const dispose = () => {
    clearTimeout(timer);
    limits.signal?.removeEventListener("abort", onAbort);
  };
  return { promise, dispose };
}

/** Every item until the stream ends or `signal` aborts (then what arrived so far). */
export async function collect<T>(iterable: AsyncIterable<T>, signal?: AbortSignal): Promise<T[]> {
  const reader = new Reader(iterable);
  const items: T[] = [];
  for (;;) {
    const read = await reader.read(signal ? { signal } : {});
    if (read.kind === "item") items.push(read.value);
    else {
      if (read.kind === "stopped") reader.close();
      return items;
    }
  }
}

/** The items that arrive within `timeoutMs`, and whether the stream ended by then. */
export async function collectWithin<T>(
  iterable: AsyncIterable<T>,
  timeoutMs: number,
): Promise<{ items: T[]; ended: boolean }> {
  const reader = new Reader(iterable);
  const deadline = Date.now() + timeoutMs;
  const items: T[] = [];
  for (;;) {
    const read = await reader.read({ deadline });
    if (read.kind === "item") items.push(read.value);
    else {
      if (read.kind === "stopped") reader.close();
      return { items, ended: read.kind === "end" };
    }
  }
}

/** What a stream did around an abort. */
export interface AbortOutcome<T> {
  /** Items read before the abort. */
  readonly before: readonly T[];
  /** How many items still arrived after the abort. */
  readonly afterAbort: number;
  /** Whether the iteration ended within the grace period after the abort. */
  readonly ended: boolean;
}

/**
 * Reads until the first item arrives (or `openMs` passes), aborts `controller`, then keeps
 * reading for at most `graceMs`, counting what still arrives.
 */
export async function abortAfterFirst<T>(
  iterable: AsyncIterable<T>,
  controller: AbortController,
  limits: { openMs: number; graceMs: number },
): Promise<AbortOutcome<T>> {
  const reader = new Reader(iterable);
  const before: T[] = [];
  const first = await reader.read({ deadline: Date.now() + limits.openMs });
  if (first.kind === "item") before.push(first.value);
  controller.abort();
  if (first.kind === "end") return { before, afterAbort: 0, ended: true };
  const deadline = Date.now() + limits.graceMs;
  let afterAbort = 0;
  for (;;) {
    // An iterable may end by throwing the abort reason; that ends it all the same.
    const read = await reader.read({ deadline }).catch((): Read<T> => ({ kind: "end" }));
    if (read.kind === "item") afterAbort++;
    else {
      if (read.kind === "stopped") reader.close();
      return { before, afterAbort, ended: read.kind === "end" };
    }
  }
}
