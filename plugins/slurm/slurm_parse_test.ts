import assert from "node:assert/strict";
import {
  fromWaitStatus,
  parseDuration,
  parseExitCode,
  parseKeyValues,
  parseMemoryMiB,
  parseSacctRows,
  parseSqueueRows,
} from "./slurm_parse.ts";

const fixture = (name: string) => Deno.readTextFile(new URL(`./testdata/${name}`, import.meta.url));

Deno.test("parseSqueueRows reads job, state, reason, wait status, batch host and partition", async () => {
  const rows = parseSqueueRows(await fixture("squeue_states.txt"));
  assert.equal(rows.length, 8);
  assert.deepEqual(rows[0], {
    jobId: "3",
    state: "CANCELLED",
    reason: "BeginTime",
    exit: { code: 0, signal: 0 },
    batchHost: "",
    partition: "debug",
  });
  const failed = rows.find((row) => row.jobId === "1")!;
  assert.deepEqual(failed.exit, { code: 3, signal: 0 });
  assert.equal(failed.reason, "NonZeroExitCode");
  assert.deepEqual(rows.find((row) => row.jobId === "4")!.exit, { code: 0, signal: 15 });
  assert.deepEqual(rows.find((row) => row.jobId === "5")!.exit, { code: 143, signal: 0 });
  assert.equal(rows.find((row) => row.jobId === "70")!.state, "SUSPENDED");
});

Deno.test("parseSacctRows keeps the first word of the state and reads code:signal", () => {
  // sacct needs slurmdbd, which the test cluster lacks: this is its documented --parsable2 shape.
  const rows = parseSacctRows(
    "12|CANCELLED by 1001|0:15|vm|debug|None\n13|COMPLETED|0:0|vm|debug|None\n",
  );
  assert.equal(rows[0]!.state, "CANCELLED");
  assert.deepEqual(rows[0]!.exit, { code: 0, signal: 15 });
  assert.equal(rows[0]!.batchHost, "vm");
  assert.equal(rows[1]!.state, "COMPLETED");
});

Deno.test("fromWaitStatus and parseExitCode split exit codes from signals", () => {
  assert.deepEqual(fromWaitStatus(768), { code: 3, signal: 0 });
  assert.deepEqual(fromWaitStatus(9), { code: 0, signal: 9 });
  assert.deepEqual(parseExitCode("143:0"), { code: 143, signal: 0 });
  assert.deepEqual(parseExitCode("0:9"), { code: 0, signal: 9 });
});

Deno.test("parseKeyValues keeps values with spaces whole and reads scontrol show node", async () => {
  const node = parseKeyValues(await fixture("scontrol_show_node.txt"));
  assert.equal(node.get("NodeAddr"), "127.0.0.1");
  assert.equal(node.get("NodeHostName"), "vm");
  assert.equal(node.get("OS"), "Linux 6.18.44-fc-v782 #1 SMP PREEMPT_DYNAMIC @0");
  assert.equal(parseKeyValues("JobName=my job WorkDir=/home/a b").get("JobName"), "my job");
});

Deno.test("parseDuration reads Slurm's time formats as seconds", () => {
  assert.equal(parseDuration("UNLIMITED"), undefined);
  assert.equal(parseDuration("NONE"), undefined);
  assert.equal(parseDuration("30"), 1_800);
  assert.equal(parseDuration("01:30"), 90);
  assert.equal(parseDuration("1:00:00"), 3_600);
  assert.equal(parseDuration("2-00:00:01"), 172_801);
  assert.equal(parseDuration("00:01.500"), 1.5);
});

Deno.test("parseMemoryMiB reads K/M/G suffixes and bare MiB", () => {
  assert.equal(parseMemoryMiB("2048K"), 2);
  assert.equal(parseMemoryMiB("24105"), 24_105);
  assert.equal(parseMemoryMiB("1.5G"), 1_536);
  assert.equal(parseMemoryMiB("n/a"), undefined);
});
