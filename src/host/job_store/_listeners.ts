/**
 * A set of synchronous listeners. Each is called in subscription order with the same
 * value; one that throws is reported to `onError` and does not stop the others.
 */
export class Listeners<T> {
  readonly #listeners = new Set<(value: T) => void>();
  readonly #onError: (error: unknown) => void;

  constructor(onError: (error: unknown) => void) {
    this.#onError = onError;
  }

  get size(): number {
    return this.#listeners.size;
  }

  /** Adds a listener; the returned function removes it (calling it twice is harmless). */
  add(listener: (value: T) => void): () => void {
    // A wrapper gives each subscription its own identity, so the same function may be
    // subscribed twice and unsubscribed once.
    const entry = (value: T) => listener(value);
    this.#listeners.add(entry);
    return () => this.#listeners.delete(entry);
  }

  /** Calls every listener subscribed when the call starts. */
  emit(value: T): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(value);
      } catch (error) {
        this.#safeReport(error);
      }
    }
  }

  #safeReport(error: unknown): void {
    try {
      this.#onError(error);
    } catch {
      // The error reporter failed too; nothing is left to tell.
    }
  }
}

/** Freezes a value and everything reachable from it, so listeners cannot alter it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}
