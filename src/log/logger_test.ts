import assert from "node:assert/strict";
import { JsonLogger, type LogSink } from "./logger.ts";

function memorySink(): LogSink & { lines: string[] } {
  const lines: string[] = [];
  return { lines, writeLine: (line) => void lines.push(line) };
}

const fixedNow = () => new Date("2026-01-02T03:04:05.000Z");

Deno.test("JsonLogger writes one JSON object per line with child fields", () => {
  const sink = memorySink();
  const log = new JsonLogger({ sinks: [sink], now: fixedNow }).with({ plugin: "inmemory" });
  log.info("Job submitted", { job: "job-1" });
  assert.deepEqual(JSON.parse(sink.lines[0]!), {
    time: "2026-01-02T03:04:05.000Z",
    level: "info",
    msg: "Job submitted",
    plugin: "inmemory",
    job: "job-1",
  });
});

Deno.test("JsonLogger drops lines below its level and children keep the level", () => {
  const sink = memorySink();
  const log = new JsonLogger({ sinks: [sink], level: "warn" });
  log.info("hidden");
  log.with({ a: 1 }).debug("hidden too");
  log.with({ a: 1 }).error("shown");
  assert.equal(sink.lines.length, 1);
  assert.equal(JSON.parse(sink.lines[0]!).msg, "shown");
});

Deno.test("JsonLogger serialises errors with their message and stack", () => {
  const sink = memorySink();
  new JsonLogger({ sinks: [sink] }).error("Failed", { error: new RangeError("too big") });
  const record = JSON.parse(sink.lines[0]!);
  assert.equal(record.error.name, "RangeError");
  assert.equal(record.error.message, "too big");
  assert.match(record.error.stack, /RangeError/);
});
