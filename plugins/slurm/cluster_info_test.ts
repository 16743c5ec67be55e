import assert from "node:assert/strict";
import { clusterInfoFrom } from "./cluster_info.ts";

const fixture = (name: string) => Deno.readTextFile(new URL(`./testdata/${name}`, import.meta.url));

Deno.test("clusterInfoFrom lists partitions as queues with the node's CPUs and memory as limits", async () => {
  const info = clusterInfoFrom(
    await fixture("scontrol_show_partition.txt"),
    await fixture("sinfo_nodes.txt"),
  );
  assert.deepEqual(info, {
    supportsContainers: false,
    queues: ["debug"],
    defaultQueue: "debug",
    resourceLimits: [
      { type: "cpuCount", defaultValue: "1", maxValue: "2" },
      { type: "memory", maxValue: "24105" },
      { type: "time" },
    ],
    config: [{ name: "begin", valueType: "string" }],
  });
});

Deno.test("clusterInfoFrom skips hidden partitions and reads time limits in minutes", () => {
  const partitions = [
    "PartitionName=short Default=YES Hidden=NO MaxTime=01:00:00 DefaultTime=00:10:00 State=UP",
    "PartitionName=admin Default=NO Hidden=YES MaxTime=UNLIMITED State=UP",
    "PartitionName=long Default=NO Hidden=NO MaxTime=7-00:00:00 State=UP",
  ].join("\n");
  const info = clusterInfoFrom(partitions, "4|8000\n16+|64000\n");
  assert.deepEqual(info.queues, ["short", "long"]);
  assert.equal(info.defaultQueue, "short");
  assert.deepEqual(info.resourceLimits, [
    { type: "cpuCount", defaultValue: "1", maxValue: "16" },
    { type: "memory", maxValue: "64000" },
    { type: "time", defaultValue: "10", maxValue: "60" },
  ]);
});
