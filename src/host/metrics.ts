/** Label values of one series. */
export type Labels = Readonly<Record<string, string>>;

/** Request latency buckets in seconds (the Launcher 3.7 metrics buckets). */
export const LATENCY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 10, 30];

interface Family {
  readonly help: string;
  readonly type: "counter" | "gauge" | "histogram";
  readonly series: Map<string, { labels: Labels; value: number; buckets?: number[]; sum?: number }>;
}

/**
 * A small metrics registry: counters, gauges and latency histograms with labels,
 * rendered as Prometheus text and as a JSON snapshot. Gauges that reflect live state are
 * collected at scrape time through `onCollect` callbacks.
 */
export class Metrics {
  readonly #families = new Map<string, Family>();
  readonly #collectors: (() => void)[] = [];
  readonly #refreshers: (() => Promise<void>)[] = [];

  inc(name: string, help: string, labels: Labels = {}, by = 1): void {
    const series = this.#series(name, help, "counter", labels);
    series.value += by;
  }

  set(name: string, help: string, labels: Labels, value: number): void {
    this.#series(name, help, "gauge", labels).value = value;
  }

  /** Drops every series of a gauge (before a collector sets the current ones). */
  reset(name: string): void {
    this.#families.get(name)?.series.clear();
  }

  observe(name: string, help: string, labels: Labels, seconds: number): void {
    const series = this.#series(name, help, "histogram", labels);
    series.buckets ??= LATENCY_BUCKETS.map(() => 0);
    series.sum = (series.sum ?? 0) + seconds;
    series.value += 1;
    LATENCY_BUCKETS.forEach((bound, i) => {
      if (seconds <= bound) series.buckets![i]! += 1;
    });
  }

  /** Runs before every render, to refresh gauges from live state. */
  onCollect(collector: () => void): void {
    this.#collectors.push(collector);
  }

  /** Runs before every served scrape and may wait (a job store on another machine). */
  onRefresh(refresher: () => Promise<void>): void {
    this.#refreshers.push(refresher);
  }

  /** Runs the refreshers; a failing one leaves its gauges as they were. */
  async refresh(): Promise<void> {
    await Promise.allSettled(this.#refreshers.map((refresh) => refresh()));
  }

  /** Prometheus text exposition format 0.0.4. */
  renderPrometheus(): string {
    this.#collect();
    const lines: string[] = [];
    for (const [name, family] of this.#families) {
      lines.push(`# HELP ${name} ${family.help}`, `# TYPE ${name} ${family.type}`);
      for (const series of family.series.values()) lines.push(...renderSeries(name, series));
    }
    return lines.join("\n") + "\n";
  }

  /** Every series as plain data, for the JSON health document and tests. */
  snapshot(): Record<string, { labels: Labels; value: number; sum?: number }[]> {
    this.#collect();
    const out: Record<string, { labels: Labels; value: number; sum?: number }[]> = {};
    for (const [name, family] of this.#families) {
      out[name] = [...family.series.values()].map(({ labels, value, sum }) => ({
        labels,
        value,
        ...(sum === undefined ? {} : { sum }),
      }));
    }
    return out;
  }

  #collect(): void {
    for (const collector of this.#collectors) collector();
  }

  #series(name: string, help: string, type: Family["type"], labels: Labels) {
    let family = this.#families.get(name);
    if (!family) {
      family = { help, type, series: new Map() };
      this.#families.set(name, family);
    }
    const key = labelKey(labels);
    let series = family.series.get(key);
    if (!series) {
      series = { labels, value: 0 };
      family.series.set(key, series);
    }
    return series;
  }
}

const keys = new WeakMap<Labels, string>();

/** A series' identity; cached per label object, since hot callers reuse theirs. */
function labelKey(labels: Labels): string {
  let key = keys.get(labels);
  if (key === undefined) {
    key = JSON.stringify(Object.entries(labels).sort());
    keys.set(labels, key);
  }
  return key;
}

function renderSeries(
  name: string,
  series: { labels: Labels; value: number; buckets?: number[]; sum?: number },
): string[] {
  if (!series.buckets) return [`${name}${labelText(series.labels)} ${series.value}`];
  const lines = LATENCY_BUCKETS.map((bound, i) =>
    `${name}_bucket${labelText({ ...series.labels, le: String(bound) })} ${series.buckets![i]}`
  );
  lines.push(`${name}_bucket${labelText({ ...series.labels, le: "+Inf" })} ${series.value}`);
  lines.push(`${name}_sum${labelText(series.labels)} ${series.sum ?? 0}`);
  lines.push(`${name}_count${labelText(series.labels)} ${series.value}`);
  return lines;
}

function labelText(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return "";
  const escape = (value: string) =>
    value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
  return `{${entries.map(([key, value]) => `${key}="${escape(value)}"`).join(",")}}`;
}
