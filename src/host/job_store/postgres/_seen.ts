import { SEEN_LIMIT } from "./constants.ts";

/** A set of numbers that forgets its oldest members past `limit`. */
export class SeenSet {
  readonly #members = new Set<number>();
  readonly #limit: number;

  constructor(limit = SEEN_LIMIT) {
    this.#limit = limit;
  }

  has(value: number): boolean {
    return this.#members.has(value);
  }

  add(value: number): void {
    if (this.#members.has(value)) return;
    if (this.#members.size >= this.#limit) {
      this.#members.delete(this.#members.values().next().value!);
    }
    this.#members.add(value);
  }
}
