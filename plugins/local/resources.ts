import type { Job, PluginContext, ResourceUtil } from "@launchbox/sdk";
import { sh } from "./shell.ts";

/** How often a running job's processes are sampled. */
const SAMPLE_MS = 2_000;

/** Samples CPU and memory of every process in the job's process group, through `ps`. */
export async function* sampleResources(
  ctx: PluginContext,
  job: Job,
  signal: AbortSignal,
): AsyncIterable<ResourceUtil> {
  if (!job.pid) return;
  while (!signal.aborted) {
    const { code, stdout } = await sh(`ps -o rss=,vsz=,time=,pcpu= -g ${job.pid}`);
    if (code !== 0) return;
    yield summarise(stdout);
    await ctx.clock.sleep(SAMPLE_MS, signal).catch(() => {});
  }
}

/** Sums `ps` rows (RSS and VSZ in KiB, CPU time as [[dd-]hh:]mm:ss, %CPU) into one sample. */
export function summarise(psOutput: string): ResourceUtil {
  let rssKib = 0, vszKib = 0, cpuSeconds = 0, cpuPercent = 0;
  for (const line of psOutput.trim().split("\n").filter(Boolean)) {
    const [rss, vsz, time, pcpu] = line.trim().split(/\s+/);
    rssKib += Number(rss) || 0;
    vszKib += Number(vsz) || 0;
    cpuSeconds += cpuTimeSeconds(time ?? "0");
    cpuPercent += Number(pcpu) || 0;
  }
  return {
    cpuPercent,
    cpuTime: cpuSeconds,
    residentMemory: rssKib / 1024,
    virtualMemory: vszKib / 1024,
  };
}

function cpuTimeSeconds(text: string): number {
  const [days, clock] = text.includes("-") ? text.split("-") : ["0", text];
  const parts = (clock ?? "0").split(":").map(Number);
  const seconds = parts.reduce((total, part) => total * 60 + (part || 0), 0);
  return Number(days) * 86_400 + seconds;
}
