import {
  RESTART_BACKOFF_BASE_MS,
  RESTART_BACKOFF_CAP_MS,
  RESTART_BACKOFF_FACTOR,
  RESTART_JITTER,
} from "./constants.ts";

/**
 * The delay before restart number `attempt` (1 for the first): exponential from the base,
 * capped, with ±20 % jitter. `random` returns a number in [0, 1), as `Math.random` does.
 */
export function restartDelayMs(attempt: number, random: () => number = Math.random): number {
  const exponent = Math.max(0, attempt - 1);
  const plain = Math.min(
    RESTART_BACKOFF_CAP_MS,
    RESTART_BACKOFF_BASE_MS * RESTART_BACKOFF_FACTOR ** exponent,
  );
  const jitter = 1 + RESTART_JITTER * (2 * random() - 1);
  return Math.round(plain * jitter);
}
