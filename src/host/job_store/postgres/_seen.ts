import { SEEN_LIMIT } from "./constants.ts";

/**
 * A set of numbers that forgets its oldest members past `limit`.
 *
 * The members are also kept in insertion order in a ring, so forgetting the oldest is one
 * step: taking the first member of a `Set` whose front was deleted over and over walks the
 * deleted slots each time (quadratic until V8 compacts the table).
 */
export class SeenSet {
  readonly #members = new Set<number>();
  readonly #ring: number[] = [];
  readonly #limit: number;
  #oldest = 0;

  constructor(limit = SEEN_LIMIT) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(
        `Cannot make a seen set: limit must be a positive integer, got ${limit}`,
      );
    }
    this.#limit = limit;
  }

  has(value: number): boolean {
    return this.#members.has(value);
  }

  add(value: number): void {
    if (this.#members.has(value)) return;
    if (this.#ring.length < this.#limit) {
      this.#ring.push(value);
    } else {
      this.#members.delete(this.#ring[this.#oldest]!);
      this.#ring[this.#oldest] = value;
      this.#oldest = (this.#oldest + 1) % this.#limit;
    }
    this.#members.add(value);
  }

  get size(): number {
    return this.#members.size;
  }
}
