import assert from "node:assert/strict";
import { jobRequest } from "./job_request.ts";

const values = (entries: Record<string, string[]>) => new Map(Object.entries(entries));

Deno.test("jobRequest maps queue, cpus, memory, time limit and config to the Job's fields", () => {
  const job = jobRequest(values({
    command: ["sleep 5"],
    queue: ["gpu", "batch"],
    cpus: ["2"],
    memory: ["512"],
    "time-limit": ["90m"],
    config: ["begin=now+1hour", "mail=a=b"],
    tag: ["x"],
  }));
  assert.deepEqual(job, {
    name: "sleep 5",
    command: "sleep 5",
    tags: ["x"],
    queues: ["gpu", "batch"],
    resourceLimits: [
      { type: "cpuCount", value: "2" },
      { type: "memory", value: "512" },
      { type: "cpuTime", value: "5400" },
    ],
    config: [{ name: "begin", value: "now+1hour" }, { name: "mail", value: "a=b" }],
  });
});

Deno.test("jobRequest reads a time limit in seconds, minutes or hours", () => {
  const limit = (text: string) =>
    (jobRequest(values({ exe: ["/bin/true"], "time-limit": [text] })).resourceLimits as {
      value: string;
    }[])[0]!.value;
  assert.equal(limit("45"), "45");
  assert.equal(limit("30s"), "30");
  assert.equal(limit("1.5h"), "5400");
});

Deno.test("jobRequest refuses bad values, naming the option", () => {
  const bad = (entries: Record<string, string[]>, pattern: RegExp) =>
    assert.throws(() => jobRequest(values({ command: ["true"], ...entries })), pattern);
  bad({ cpus: ["1.5"] }, /--cpus must be a positive integer, got "1\.5"/);
  bad({ memory: ["-1"] }, /--memory must be a positive number, got "-1"/);
  bad({ "time-limit": ["soon"] }, /--time-limit must be seconds.*got "soon"/);
  bad({ config: ["=x"] }, /--config must be NAME=VALUE, got "=x"/);
  bad({ exe: ["/bin/true"] }, /--command or --exe, not both/);
  assert.throws(() => jobRequest(values({})), /needs --command CMD or --exe PATH/);
});
