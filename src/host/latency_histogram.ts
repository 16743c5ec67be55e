/**
 * Upper bounds (seconds) of the cluster interaction latency histogram: the Launcher's own,
 * so it can replay the counts (Go SDK `ClusterInteractionLatencyBuckets`, Plugin API 3.7).
 */
export const CLUSTER_INTERACTION_BUCKETS: readonly number[] = [
  0.01,
  0.025,
  0.05,
  0.1,
  0.25,
  0.5,
  1,
  5,
  10,
  30,
];

/** What {@linkcode LatencyHistogram.drain} returns: per-bucket counts and the sum. */
export interface HistogramSample {
  /** Observations per bucket (not cumulative); ones above the last bound count only in `sum`. */
  buckets: number[];
  sum: number;
}

/**
 * Counts latencies between two Metrics messages, the way a Prometheus histogram would: a
 * value lands in the first bucket whose bound is at least the value.
 */
export class LatencyHistogram {
  readonly bounds: readonly number[];
  #counts: number[];
  #sum = 0;
  #observed = 0;

  constructor(bounds: readonly number[] = CLUSTER_INTERACTION_BUCKETS) {
    bounds.forEach((bound, i) => {
      if (!(bound > 0) || !Number.isFinite(bound) || (i > 0 && bound <= bounds[i - 1]!)) {
        throw new RangeError(
          `Histogram bounds must be finite, positive and increasing; bound ${i} is ${bound}`,
        );
      }
    });
    if (bounds.length === 0) throw new RangeError("Histogram bounds must not be empty");
    this.bounds = bounds;
    this.#counts = bounds.map(() => 0);
  }

  /** Records one latency in seconds; NaN, infinite and negative values are ignored. */
  observe(seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0) return;
    const bucket = this.bounds.findIndex((bound) => seconds <= bound);
    if (bucket >= 0) this.#counts[bucket]! += 1;
    this.#sum += seconds;
    this.#observed += 1;
  }

  /** The observations since the last drain, then starts over; `undefined` when there were none. */
  drain(): HistogramSample | undefined {
    if (this.#observed === 0) return undefined;
    const sample = { buckets: this.#counts, sum: this.#sum };
    this.#counts = this.bounds.map(() => 0);
    this.#sum = 0;
    this.#observed = 0;
    return sample;
  }
}
