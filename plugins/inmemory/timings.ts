/** How fast the simulated scheduler moves, in milliseconds; `launcher.<name>.conf` overrides. */
export interface Timings {
  /** Pending → Running. */
  pendingMs: number;
  /** Running → Finished, for jobs without the `long-running` tag. */
  runMs: number;
  /** Between two output lines and between two resource samples. */
  tickMs: number;
}

const DEFAULTS: Timings = { pendingMs: 500, runMs: 4500, tickMs: 1000 };

/** Reads `pending-ms`, `run-ms` and `tick-ms` from the plugin config, keeping defaults. */
export function readTimings(config: Readonly<Record<string, string>>): Timings {
  const read = (key: string, fallback: number) => {
    const text = config[key];
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(`Cannot use ${key}=${JSON.stringify(text)}: expected milliseconds >= 0`);
    }
    return value;
  };
  return {
    pendingMs: read("pending-ms", DEFAULTS.pendingMs),
    runMs: read("run-ms", DEFAULTS.runMs),
    tickMs: read("tick-ms", DEFAULTS.tickMs),
  };
}
