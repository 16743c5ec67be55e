import assert from "node:assert/strict";
import { clusterTables } from "./cluster_table.ts";
import { schedulerId } from "./tables.ts";

Deno.test("clusterTables prints queues, limits and settings as tables, empty parts as none", () => {
  const text = clusterTables({
    queues: ["default", "gpu"],
    defaultQueue: "default",
    resourceLimits: [{ type: "cpuCount", defaultValue: "1", maxValue: "32" }, { type: "memory" }],
    config: [{ name: "begin", valueType: "string" }],
    placementConstraints: [],
    supportsContainers: false,
  });
  assert.equal(
    text,
    [
      "QUEUE    DEFAULT\ndefault  yes\ngpu",
      "LIMIT     DEFAULT  MAX\ncpuCount  1        32\nmemory    -        -",
      "SETTING  TYPE\nbegin    string",
      "CONSTRAINT: none",
      "PROFILE: none",
      "containers: no",
    ].join("\n\n"),
  );
});

Deno.test("schedulerId is the job's pid, else the Slurm job ID the slurm plugin keeps", () => {
  assert.equal(schedulerId({ pid: 4242 }), "4242");
  assert.equal(schedulerId({ metadata: { slurmJobId: "17_2" } }), "17_2");
  assert.equal(schedulerId({ metadata: {} }), undefined);
});
