import type { PluginMetricsSample } from "../launcher/responses.ts";
import { residentBytes } from "../sandbox/process_memory.ts";
import type { LatencyHistogram } from "./latency_histogram.ts";

/** Where {@linkcode pluginMetricsSampler} looks. */
export interface PluginMetricsSources {
  /** `performance.now()` when the host started. */
  startedAt: number;
  /** Plugin calls (each one a cluster interaction) since the last sample. */
  latency: LatencyHistogram;
  /** Process ids of the running plugin instances. */
  runnerPids: () => Promise<number[]>;
  /** Resident bytes of these processes together, 0 when unknown (default: asks `ps`). */
  residentBytes?: (pids: number[]) => Promise<number>;
}

/**
 * Samples what a Plugin API 3.7 Metrics message reports: uptime, the memory of the host and
 * its runner processes, and the latency of plugin calls since the previous sample.
 */
export function pluginMetricsSampler(
  sources: PluginMetricsSources,
): () => Promise<PluginMetricsSample> {
  const resident = sources.residentBytes ?? residentBytes;
  return async () => {
    const pids = await sources.runnerPids();
    const memory = Deno.memoryUsage().rss + (pids.length > 0 ? await resident(pids) : 0);
    const latency = sources.latency.drain();
    return {
      uptimeSeconds: (performance.now() - sources.startedAt) / 1000,
      memoryUsageBytes: memory,
      ...(latency ? { clusterInteractionLatencySample: latency } : {}),
    };
  };
}
