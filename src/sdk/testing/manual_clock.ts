import type { Clock } from "../context.ts";

interface Sleeper {
  readonly due: number;
  readonly resolve: () => void;
  readonly cancel: () => void;
}

/**
 * A fake {@linkcode Clock} that moves only when a test calls `advance`. Sleeps resolve in
 * due order, and the code each one wakes runs before the next wakes, so a plugin's timers
 * play out as they would in real time, instantly.
 *
 * @example
 * ```ts
 * import { ManualClock } from "./mod.ts";
 * const clock = new ManualClock(new Date("2024-05-01T12:00:00Z"));
 * let woke = false;
 * clock.sleep(500).then(() => woke = true);
 * await clock.advance(499); // woke is still false
 * await clock.advance(1); // woke is true
 * clock.now().toISOString(); // "2024-05-01T12:00:00.500Z"
 * ```
 */
export class ManualClock implements Clock {
  #now: number;
  #sleepers: Sleeper[] = [];

  /** Starts the clock at `start` (default 2024-01-01T00:00:00Z). */
  constructor(start: Date = new Date("2024-01-01T00:00:00Z")) {
    this.#now = start.getTime();
  }

  now(): Date {
    return new Date(this.#now);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        this.#sleepers = this.#sleepers.filter((s) => s !== sleeper);
        reject(signal?.reason);
      };
      const sleeper: Sleeper = {
        due: this.#now + Math.max(0, ms),
        resolve: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
        cancel: onAbort,
      };
      this.#sleepers.push(sleeper);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** How many sleeps are waiting for time to pass. */
  get pendingSleeps(): number {
    return this.#sleepers.length;
  }

  /**
   * Moves time forward by `ms`, waking every sleep that falls due on the way, earliest
   * first, and letting the code it wakes settle before moving on.
   */
  async advance(ms: number): Promise<void> {
    if (!(ms >= 0)) throw new RangeError(`Cannot advance the clock by ${ms} ms: expected >= 0`);
    const target = this.#now + ms;
    await settle();
    for (let next = this.#earliest(target); next; next = this.#earliest(target)) {
      this.#sleepers = this.#sleepers.filter((s) => s !== next);
      this.#now = next.due;
      next.resolve();
      await settle();
    }
    this.#now = target;
  }

  #earliest(target: number): Sleeper | undefined {
    let found: Sleeper | undefined;
    for (const sleeper of this.#sleepers) {
      if (sleeper.due <= target && (!found || sleeper.due < found.due)) found = sleeper;
    }
    return found;
  }
}

/** Lets every promise continuation queued so far run (one macrotask drains them all). */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
