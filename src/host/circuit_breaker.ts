import { BREAKER_COOL_DOWN_MS, BREAKER_FAILURE_THRESHOLD } from "./constants.ts";

/** Breaker states, as metrics report them. */
export type BreakerState = "closed" | "open" | "half-open";

/**
 * Counts consecutive failures of one plugin instance. At the threshold it opens: calls are
 * refused with the last failure until the cool-down has passed; then one trial call is let
 * through (half-open), and its success closes the breaker again.
 */
export class CircuitBreaker {
  readonly #now: () => number;
  readonly #coolDownMs: number;
  #failures = 0;
  #openedAt: number | undefined;
  #trialRunning = false;
  #lastFailure = "";

  constructor(now: () => number = Date.now, coolDownMs = BREAKER_COOL_DOWN_MS) {
    this.#now = now;
    this.#coolDownMs = coolDownMs;
  }

  get state(): BreakerState {
    if (this.#openedAt === undefined) return "closed";
    return this.#now() - this.#openedAt >= this.#coolDownMs ? "half-open" : "open";
  }

  get consecutiveFailures(): number {
    return this.#failures;
  }

  get lastFailure(): string {
    return this.#lastFailure;
  }

  /** Whether a call may go ahead now (in half-open state, only one trial at a time). */
  allow(): boolean {
    const state = this.state;
    if (state === "closed") return true;
    if (state === "open" || this.#trialRunning) return false;
    this.#trialRunning = true;
    return true;
  }

  recordSuccess(): void {
    this.#failures = 0;
    this.#openedAt = undefined;
    this.#trialRunning = false;
  }

  recordFailure(reason: string): void {
    this.#failures += 1;
    this.#lastFailure = reason;
    this.#trialRunning = false;
    if (this.#openedAt !== undefined || this.#failures >= BREAKER_FAILURE_THRESHOLD) {
      this.#openedAt = this.#now();
    }
  }
}
