import assert from "node:assert/strict";
import { parseSstat, sampleOf } from "./job_resources.ts";
import { networkOf } from "./job_network.ts";

const fixture = (name: string) => Deno.readTextFile(new URL(`./testdata/${name}`, import.meta.url));

Deno.test("parseSstat reads the batch step of a running job", async () => {
  const usage = parseSstat(await fixture("sstat_running.txt"))!;
  assert.equal(usage.cpuSeconds, 0);
  assert.ok(Math.abs(usage.residentMiB - 3252 / 1024) < 1e-9);
  assert.ok(Math.abs(usage.virtualMiB - 5512 / 1024) < 1e-9);
});

Deno.test("parseSstat sums the batch step and srun steps", async () => {
  const usage = parseSstat(await fixture("sstat_with_step.txt"))!;
  assert.equal(usage.cpuSeconds, 3);
  assert.ok(Math.abs(usage.residentMiB - (10428 + 4812) / 1024) < 1e-9);
});

Deno.test("parseSstat gives nothing before a step runs", () => {
  assert.equal(parseSstat(""), undefined);
});

Deno.test("sampleOf turns CPU seconds between two samples into a percentage", () => {
  const before = { cpuSeconds: 10, residentMiB: 1, virtualMiB: 2 };
  const now = { cpuSeconds: 11, residentMiB: 3, virtualMiB: 4 };
  assert.deepEqual(sampleOf(now, before, 2_000), {
    cpuPercent: 50,
    cpuTime: 11,
    residentMemory: 3,
    virtualMemory: 4,
  });
  assert.equal(sampleOf(now, undefined, 0).cpuPercent, 0);
});

Deno.test("networkOf reads the node's host name and loopback address", async () => {
  assert.deepEqual(networkOf("vm", await fixture("scontrol_show_node.txt")), {
    host: "vm",
    ipAddresses: ["127.0.0.1"],
  });
  assert.deepEqual(networkOf("n1", "NodeName=n1 NodeAddr=n1 NodeHostName=n1"), {
    host: "n1",
    ipAddresses: [],
  });
});

Deno.test("parseSstat skips a step slurmd has not sampled yet (CPU of Slurm's no-value)", () => {
  const unsampled = "9.batch|1|213503982334-14:25:51|0|0";
  assert.equal(parseSstat(`${unsampled}\n`), undefined);
  const usage = parseSstat(`${unsampled}\n9.0|2|00:00:03|10M|20M\n`)!;
  assert.equal(usage.cpuSeconds, 6);
  assert.equal(usage.residentMiB, 20);
});
