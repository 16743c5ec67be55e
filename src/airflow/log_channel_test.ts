import assert from "node:assert/strict";
import { levelValue, LogChannel } from "./log_channel.ts";

async function capture(
  env: { level?: string; namespaceLevels?: string },
  emit: (logs: LogChannel) => void,
) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const logs = new LogChannel(env);
  emit(logs);
  const client = await Deno.connect({
    hostname: "127.0.0.1",
    port: (listener.addr as Deno.NetAddr).port,
  });
  const server = await listener.accept();
  logs.attach(client);
  await logs[Symbol.asyncDispose]();
  const text = await new Response(server.readable).text();
  listener.close();
  return text.trim().split("\n").filter(Boolean).map((line) => JSON.parse(line));
}

Deno.test("LogChannel buffers records made before the socket connects and sends them in order", async () => {
  const lines = await capture({}, (logs) => {
    logs.emit({ event: "first", level: "info", logger: "a" });
    logs.emit({ event: "second", level: "warning", logger: "a", rows: 3 });
  });
  assert.deepEqual(lines.map((l) => l.event), ["first", "second"]);
  assert.equal(lines[1].rows, 3);
  assert.match(lines[0].timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
});

Deno.test("LogChannel drops records below the level, with the longest namespace winning", async () => {
  const lines = await capture(
    { level: "WARNING", namespaceLevels: "task=DEBUG task.noisy=ERROR" },
    (logs) => {
      logs.emit({ event: "root info", level: "info", logger: "launchbox" });
      logs.emit({ event: "task debug", level: "debug", logger: "task.etl" });
      logs.emit({ event: "noisy warning", level: "warning", logger: "task.noisy.x" });
      logs.emit({ event: "noisy error", level: "error", logger: "task.noisy" });
    },
  );
  assert.deepEqual(lines.map((l) => l.event), ["task debug", "noisy error"]);
});

Deno.test("levelValue reads Python level names in any case", () => {
  assert.equal(levelValue("INFO"), 20);
  assert.equal(levelValue("warn"), 30);
  assert.equal(levelValue("Critical"), 50);
  assert.equal(levelValue("verbose"), undefined);
});

Deno.test("LogChannel sends only known levels and its own timestamp, whatever the fields hold", async () => {
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  const lines = await capture({}, (logs) => {
    logs.emit({ event: "unknown level", level: "TRACE" as "info", logger: "a" });
    logs.emit({ event: "x", level: "info", logger: "a", ...{ timestamp: 5, rows: 2n } });
    logs.emit({ event: "cyclic", level: "warning", logger: "a", cyclic });
  });
  assert.deepEqual(lines.map((l) => [l.event, l.level]), [["x", "info"], ["cyclic", "warning"]]);
  assert.match(lines[0].timestamp, /^\d{4}-\d\d-\d\dT/);
  assert.equal(lines[0].rows, "2");
  assert.match(lines[1].log_error, /fields dropped/);
});

Deno.test("LogChannel wants debug records when the level or any namespace is at debug", () => {
  assert.equal(new LogChannel({ level: "INFO" }).wantsDebug(), false);
  assert.equal(new LogChannel({ level: "debug" }).wantsDebug(), true);
  assert.equal(
    new LogChannel({ level: "INFO", namespaceLevels: "task.etl=DEBUG" }).wantsDebug(),
    true,
  );
});
