import assert from "node:assert/strict";
import type { LogFields, Logger } from "../sdk/mod.ts";
import { PLUGIN_LOG_MAX_LINE_BYTES } from "./constants.ts";
import { PluginLog } from "./plugin_log.ts";

function capture() {
  const lines: { level: string; msg: string; fields?: LogFields }[] = [];
  const at = (level: string) => (msg: string, fields?: LogFields) =>
    lines.push({ level, msg, ...(fields ? { fields } : {}) });
  const log = { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
  return { lines, log: { ...log, with: () => log as unknown as Logger } as unknown as Logger };
}

function counting() {
  const counts = { dropped: 0, cut: 0 };
  return {
    counts,
    counters: { dropped: (n: number) => counts.dropped += n, cut: (n: number) => counts.cut += n },
  };
}

Deno.test("PluginLog drops lines over the rate, counts them and reports them naming the plugin", () => {
  let now = 0;
  const { lines, log } = capture();
  const { counts, counters } = counting();
  const plugin = new PluginLog(log, "noisy", {
    counters,
    limit: { linesPerSecond: 1, burst: 2, now: () => now },
  });
  for (let i = 0; i < 10; i++) plugin.line("info", `line ${i}`);
  assert.deepEqual(lines.map((line) => line.msg), ["line 0", "line 1"]);
  assert.equal(counts.dropped, 8);
  now += 1000;
  plugin.line("info", "again");
  assert.match(
    lines[2]!.msg,
    /^Plugin "noisy" logged more than \d+ lines per second: 8 lines dropped$/,
  );
  assert.equal(lines[3]!.msg, "again");
});

Deno.test("PluginLog cuts a long message and oversized fields, and keeps host keys", () => {
  const { lines, log } = capture();
  const { counts, counters } = counting();
  const plugin = new PluginLog(log, "p", { counters });
  plugin.line("info", "y".repeat(PLUGIN_LOG_MAX_LINE_BYTES * 2), { big: "z".repeat(100_000) });
  assert.match(lines[0]!.msg, /^y+… \[cut 16\d{3} bytes\]$/);
  assert.deepEqual(lines[0]!.fields, { fields_cut_bytes: 100_010 });
  assert.ok(counts.cut >= PLUGIN_LOG_MAX_LINE_BYTES - 64);
  plugin.line("bogus", "m", { plugin: "fake", level: "x" }, 7);
  assert.deepEqual(lines[1], {
    level: "warn",
    msg: "m",
    fields: { plugin_plugin: "fake", plugin_level: "x" },
  });
});

Deno.test("PluginLog reads stderr through a bounded line buffer", async () => {
  const { lines, log } = capture();
  const { counts, counters } = counting();
  const plugin = new PluginLog(log, "p", { counters });
  const body = new Blob(["a".repeat(1024 * 1024), "\nsecond\n", "tail"]).stream();
  await plugin.readStderr(body);
  const cut = 1024 * 1024 - PLUGIN_LOG_MAX_LINE_BYTES;
  assert.deepEqual(lines.map((line) => line.msg), [
    `${"a".repeat(PLUGIN_LOG_MAX_LINE_BYTES)}… [cut ${cut} bytes]`,
    "second",
    "tail",
  ]);
  assert.equal(counts.cut, cut);
  assert.deepEqual(lines[1]!.fields, { source: "runner-stderr" });
});
