import type { PluginMetricsSample } from "../launcher/responses.ts";
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
  const resident = sources.residentBytes ?? psResidentBytes;
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

/**
 * Summed RSS from `ps` (Linux and macOS alike); 0 when `ps` fails. Deno lets only
 * `--allow-all` read /proc, which the host does not have.
 */
async function psResidentBytes(pids: number[]): Promise<number> {
  try {
    const { stdout } = await new Deno.Command("ps", {
      args: ["-o", "rss=", "-p", pids.join(",")],
      stdout: "piped",
      stderr: "null",
    }).output();
    const kib = new TextDecoder().decode(stdout).split("\n").map(Number).filter(Number.isFinite);
    return kib.reduce((total, value) => total + value, 0) * 1024;
  } catch {
    return 0;
  }
}
