import type { JsonLogger } from "../log/mod.ts";
import type { ApiVersion } from "./messages.ts";
import type { Outbox } from "./outbox.ts";
import { metricsResponse, type PluginMetricsSample } from "./responses.ts";

/** What a session needs to send Plugin API 3.7 Metrics messages. */
export interface MetricsReporting {
  /** `--plugin-metrics-interval-seconds`, in ms (> 0). */
  intervalMs: number;
  /** Takes one sample (and drains the latency histogram it reports). */
  sample: () => Promise<PluginMetricsSample>;
}

/** Whether a Launcher of this API version takes Metrics messages (3.7 and later). */
export function acceptsMetrics(launcher: ApiVersion): boolean {
  return launcher.major > 3 || (launcher.major === 3 && launcher.minor >= 7);
}

/**
 * Sends a Metrics message every interval once Bootstrap is answered, as the Go SDK does —
 * but only to a Launcher that announced API 3.7 or later, since an older one does not
 * know the message type.
 */
export class MetricsReporter {
  readonly #reporting: MetricsReporting;
  readonly #outbox: Outbox;
  readonly #log: JsonLogger;
  #timer: ReturnType<typeof setInterval> | undefined;
  #sampling = false;
  #decided = false;

  constructor(reporting: MetricsReporting, outbox: Outbox, log: JsonLogger) {
    this.#reporting = reporting;
    this.#outbox = outbox;
    this.#log = log;
  }

  /** Starts the timer after the first Bootstrap (later ones change nothing). */
  start(launcher: ApiVersion): void {
    if (this.#decided) return;
    this.#decided = true;
    const version = `${launcher.major}.${launcher.minor}.${launcher.patch}`;
    if (!acceptsMetrics(launcher)) {
      this.#log.info("Not sending Metrics messages: the Launcher's API predates 3.7", { version });
      return;
    }
    this.#timer = setInterval(() => this.#tick(), this.#reporting.intervalMs);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #tick(): Promise<void> {
    if (this.#sampling) return; // a slow sample skips a beat instead of piling up
    this.#sampling = true;
    try {
      const sample = await this.#reporting.sample();
      if (this.#timer !== undefined) this.#outbox.send(metricsResponse(sample));
    } catch (error) {
      this.#log.warn("Cannot sample plugin metrics", { error });
    } finally {
      this.#sampling = false;
    }
  }
}
