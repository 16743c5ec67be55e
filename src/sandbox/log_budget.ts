import { PLUGIN_LOG_BURST, PLUGIN_LOG_LINES_PER_SECOND } from "./constants.ts";

/** Options for {@linkcode LogBudget}. */
export interface LogBudgetOptions {
  burst?: number;
  perSecond?: number;
  /** Milliseconds, monotonic; tests pass a fake. */
  now?: () => number;
}

/** What {@linkcode LogBudget.take} decided for one line. */
export interface LogDecision {
  write: boolean;
  /** This line is the first one dropped since lines last got through. */
  firstDropped: boolean;
  /** Lines dropped before this one, which is written (reported once, then reset). */
  dropped: number;
}

/**
 * A token bucket for one runner's log lines: `take` says whether a line may be written
 * now, whether it starts a run of dropped lines, and how many were dropped before it.
 */
export class LogBudget {
  readonly #burst: number;
  readonly #perMs: number;
  readonly #now: () => number;
  #tokens: number;
  #at: number;
  #dropped = 0;

  constructor(options: LogBudgetOptions = {}) {
    this.#burst = options.burst ?? PLUGIN_LOG_BURST;
    this.#perMs = (options.perSecond ?? PLUGIN_LOG_LINES_PER_SECOND) / 1000;
    this.#now = options.now ?? (() => performance.now());
    this.#tokens = this.#burst;
    this.#at = this.#now();
  }

  take(): LogDecision {
    const now = this.#now();
    this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#at) * this.#perMs);
    this.#at = now;
    if (this.#tokens < 1) {
      this.#dropped += 1;
      return { write: false, firstDropped: this.#dropped === 1, dropped: 0 };
    }
    this.#tokens -= 1;
    const dropped = this.#dropped;
    this.#dropped = 0;
    return { write: true, firstDropped: false, dropped };
  }
}
