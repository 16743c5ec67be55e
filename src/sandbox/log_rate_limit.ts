import { PLUGIN_LOG_BURST_LINES, PLUGIN_LOG_LINES_PER_SECOND } from "./constants.ts";

/** Options for {@linkcode LogRateLimit}. */
export interface LogRateLimitOptions {
  linesPerSecond?: number;
  burst?: number;
  /** Milliseconds, monotonic; `performance.now` by default. */
  now?: () => number;
}

/**
 * A token bucket over log lines: `burst` lines at once, refilled at `linesPerSecond`.
 * Lines refused are counted until {@linkcode takeDropped} reports them.
 */
export class LogRateLimit {
  readonly #rate: number;
  readonly #burst: number;
  readonly #now: () => number;
  #tokens: number;
  #at: number;
  #dropped = 0;

  constructor(options: LogRateLimitOptions = {}) {
    this.#rate = options.linesPerSecond ?? PLUGIN_LOG_LINES_PER_SECOND;
    this.#burst = options.burst ?? PLUGIN_LOG_BURST_LINES;
    this.#now = options.now ?? (() => performance.now());
    this.#tokens = this.#burst;
    this.#at = this.#now();
  }

  /** Whether one more line may be logged now; counts it as dropped when not. */
  admit(): boolean {
    const now = this.#now();
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#at) / 1000) * this.#rate);
    this.#at = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return true;
    }
    this.#dropped++;
    return false;
  }

  /** Lines dropped since the last call (and resets the count). */
  takeDropped(): number {
    const dropped = this.#dropped;
    this.#dropped = 0;
    return dropped;
  }
}
