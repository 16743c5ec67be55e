import type { ClusterInfo, ResourceLimit } from "@launchbox/sdk";
import type { SlurmCli } from "./slurm_cli.ts";
import { parseDuration, parseKeyValueLines, parseMemoryMiB } from "./slurm_parse.ts";

/** The `sinfo` format {@linkcode clusterInfoFrom} reads: CPUs and memory (MiB) per node. */
export const SINFO_FORMAT = "%c|%m";

/**
 * Cluster info from `scontrol show partition -o` and `sinfo -h -e -o SINFO_FORMAT`:
 * visible partitions as queues (the `Default=YES` one as default queue), the largest
 * node's CPUs and memory (MiB) as `cpuCount`/`memory` maxima, the default partition's
 * time limits in minutes as `time`, and the `begin` job config (`sbatch --begin`).
 */
export function clusterInfoFrom(partitionsText: string, sinfoText: string): ClusterInfo {
  const partitions = parseKeyValueLines(partitionsText)
    .filter((p) => p.get("Hidden") !== "YES" && p.get("State") !== "INACTIVE");
  const queues = partitions.map((p) => p.get("PartitionName") ?? "").filter(Boolean);
  const main = partitions.find((p) => p.get("Default") === "YES");
  let cpus = 0, memory = 0;
  for (const line of sinfoText.split("\n").filter((l) => l.trim())) {
    const [c = "", m = ""] = line.split("|");
    cpus = Math.max(cpus, Number.parseInt(c, 10) || 0);
    memory = Math.max(memory, parseMemoryMiB(m) ?? 0);
  }
  const limits: ResourceLimit[] = [
    limit("cpuCount", "1", cpus),
    limit("memory", undefined, memory),
  ];
  const maxTime = parseDuration(main?.get("MaxTime") ?? "");
  const defaultTime = parseDuration(main?.get("DefaultTime") ?? "");
  limits.push(limit("time", minutes(defaultTime), Number(minutes(maxTime) ?? 0)));
  const info: ClusterInfo = {
    supportsContainers: false,
    queues,
    resourceLimits: limits,
    config: [{ name: "begin", valueType: "string" }],
  };
  const defaultQueue = main?.get("PartitionName");
  if (defaultQueue && queues.includes(defaultQueue)) info.defaultQueue = defaultQueue;
  return info;
}

/** Asks Slurm for its partitions and nodes and builds the cluster info from them. */
export async function readClusterInfo(cli: SlurmCli, signal: AbortSignal): Promise<ClusterInfo> {
  const [partitions, nodes] = await Promise.all([
    cli.run("scontrol", ["show", "partition", "-o"], { signal }),
    cli.run("sinfo", ["-h", "-e", "-o", SINFO_FORMAT], { signal }),
  ]);
  return clusterInfoFrom(partitions, nodes);
}

function limit(type: string, defaultValue: string | undefined, max: number): ResourceLimit {
  const result: ResourceLimit = { type };
  if (defaultValue !== undefined) result.defaultValue = defaultValue;
  if (max > 0) result.maxValue = String(Math.floor(max));
  return result;
}

function minutes(seconds: number | undefined): string | undefined {
  return seconds === undefined ? undefined : String(Math.ceil(seconds / 60));
}
