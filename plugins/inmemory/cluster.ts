import type { ClusterInfo } from "@launchbox/sdk";

/** What the simulated cluster offers; `queues=a,b` in the plugin config replaces the queues. */
export function clusterInfo(config: Readonly<Record<string, string>>): ClusterInfo {
  const queues = config.queues?.split(",").map((q) => q.trim()).filter(Boolean) ??
    ["default", "high-priority", "batch"];
  return {
    queues,
    defaultQueue: queues[0]!,
    config: [{ name: "email", valueType: "string" }, { name: "priority", valueType: "int" }],
    placementConstraints: [{ name: "node-type", value: "cpu" }, {
      name: "node-type",
      value: "gpu",
    }],
    resourceLimits: [
      { type: "cpuCount", defaultValue: "1", maxValue: "32" },
      { type: "memory", defaultValue: "1024", maxValue: "131072" },
    ],
    resourceProfiles: [
      {
        name: "small",
        displayName: "Small (1 CPU, 1 GB)",
        limits: [{ type: "cpuCount", value: "1" }],
      },
      {
        name: "large",
        displayName: "Large (8 CPU, 32 GB)",
        limits: [{ type: "cpuCount", value: "8" }],
      },
    ],
  };
}
