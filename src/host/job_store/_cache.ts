import { deepFreeze } from "./_listeners.ts";

/** How many recently read jobs the store keeps parsed in memory. */
export const JOB_CACHE_SIZE = 10_000;

/**
 * Recently read jobs by ID, frozen, oldest evicted first. GetJob and status streams read
 * the same jobs over and over; this spares a SQLite row fetch and a JSON parse each time.
 * The store writes through it: every insert, update and removal replaces or drops the entry.
 */
export class JobCache<T extends object> {
  readonly #entries = new Map<string, T>();
  readonly #limit: number;

  constructor(limit = JOB_CACHE_SIZE) {
    this.#limit = limit;
  }

  get(id: string): T | undefined {
    return this.#entries.get(id);
  }

  set(id: string, value: T): T {
    this.#entries.delete(id);
    if (this.#entries.size >= this.#limit) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(id, deepFreeze(value));
    return value;
  }

  delete(id: string): void {
    this.#entries.delete(id);
  }

  clear(): void {
    this.#entries.clear();
  }
}
