import assert from "node:assert/strict";
import { runnerMessageProblem } from "./runner_message_check.ts";

Deno.test("runnerMessageProblem accepts every message the runner sends", () => {
  const good: unknown[] = [
    { t: "ready", methods: ["submitJob", "jobOutput"] },
    { t: "fatal", error: { name: "Error", message: "broken" } },
    { t: "crashed", error: { name: "NotCapable", message: "no" }, at: "/p/mod.ts:3:9" },
    { t: "crashed", error: { name: "RangeError", message: "lost" } },
    { t: "result", id: 1, value: { status: "Running" } },
    { t: "result", id: 2 },
    { t: "error", id: 3, error: { name: "LauncherError", message: "no", code: 4 } },
    { t: "item", id: 4, value: { output: "x" } },
    { t: "end", id: 5 },
    { t: "jobs", id: 6, op: "update", args: ["1", { status: "Finished" }] },
    { t: "log", level: "info", msg: "hello", fields: { a: 1 } },
    { t: "pong", id: 7 },
    { t: "stopped" },
  ];
  for (const message of good) assert.equal(runnerMessageProblem(message), undefined);
});

Deno.test("runnerMessageProblem names what is wrong with a forged message", () => {
  const bad: [unknown, string][] = [
    [5, "expected a message object, got number 5"],
    [null, "expected a message object, got null"],
    [["t"], "expected a message object, got a list"],
    [{ t: "unheard-of" }, 'unknown message type "unheard-of"'],
    [{ t: "ready", methods: 5 }, '"ready" must list known plugin methods'],
    [{ t: "ready", methods: ["rm -rf"] }, '"ready" must list known plugin methods'],
    [{ t: "error", id: 1, error: null }, '"error" error must be an object, got null'],
    [
      { t: "fatal", error: { name: 1, message: "x" } },
      '"fatal" error must have a string name and message',
    ],
    [{ t: "crashed", error: "boom" }, '"crashed" error must be an object, got "boom"'],
    [
      { t: "crashed", error: { name: "E", message: "m" }, at: 12 },
      '"crashed" at must be a string, got number 12',
    ],
    [{ t: "result", id: "1" }, '"result" id must be a positive integer, got "1"'],
    [{ t: "item", id: 1.5 }, '"item" id must be a positive integer, got number 1.5'],
    [{ t: "jobs", id: 1, op: "delete", args: [] }, '"jobs" has unknown operation "delete"'],
    [{ t: "jobs", id: 1, op: "get", args: "1" }, '"jobs" args must be a list'],
    [{ t: "log", level: "loud", msg: "x" }, '"log" has unknown level "loud"'],
    [{ t: "log", level: "info", msg: ["x"] }, '"log" msg must be a string, got a list'],
    [
      { t: "log", level: "info", msg: "x", fields: 7 },
      '"log" fields must be an object, got number 7',
    ],
  ];
  for (const [message, problem] of bad) assert.equal(runnerMessageProblem(message), problem);
});
