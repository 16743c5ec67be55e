import assert from "node:assert/strict";
import { ConfigReloadError, ErrorCode, LauncherError } from "../sdk/mod.ts";
import {
  decodeHostMessage,
  decodeHostMessages,
  decodeRunnerMessage,
  decodeRunnerMessages,
  encodeRpc,
  encodeRpcBatch,
  toWireError,
} from "./codec.ts";
import { rebuildError } from "./rebuild_error.ts";
import type { HostMessage } from "./rpc.ts";

Deno.test("encodeRpc and decodeHostMessage round-trip a call", () => {
  const call: HostMessage = {
    t: "call",
    id: 7,
    method: "submitJob",
    args: [{ id: "j1" }],
    user: "bob",
  };
  assert.deepEqual(decodeHostMessage(encodeRpc(call)), call);
});

Deno.test("decodeRunnerMessage refuses a frame that is not a message, naming the sender", () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  assert.throws(
    () => decodeRunnerMessage(bytes("hello, host")),
    /^SyntaxError: Cannot decode a frame from the runner: /,
  );
  assert.throws(
    () => decodeRunnerMessage(bytes('{"id":1}')),
    /^SyntaxError: Cannot decode a frame from the runner: not a message object$/,
  );
  assert.throws(() => decodeHostMessage(new Uint8Array([0xff])), /from the host/);
});

Deno.test("A LauncherError crosses the channel with its class, code and message", () => {
  const wire = toWireError(new LauncherError(ErrorCode.JobNotFound, "Job j9 not found"));
  assert.deepEqual(wire, { name: "LauncherError", message: "Job j9 not found", code: 3 });
  const rebuilt = rebuildError(JSON.parse(JSON.stringify(wire)));
  assert.ok(rebuilt instanceof LauncherError);
  assert.equal(rebuilt.code, ErrorCode.JobNotFound);
});

Deno.test("A ConfigReloadError crosses the channel with its stage", () => {
  const rebuilt = rebuildError(toWireError(new ConfigReloadError("save", "disk full")));
  assert.ok(rebuilt instanceof ConfigReloadError);
  assert.equal(rebuilt.stage, "save");
  assert.equal(rebuilt.message, "disk full");
});

Deno.test("Other errors keep their name and message; thrown non-errors become messages", () => {
  const rebuilt = rebuildError(toWireError(new RangeError("too far")));
  assert.equal(rebuilt.name, "RangeError");
  assert.equal(rebuilt.message, "too far");
  assert.deepEqual(toWireError("plain string"), { name: "Error", message: "plain string" });
});

Deno.test("encodeRpcBatch sends a lone message as itself and several as a list, in order", () => {
  const ping: HostMessage = { t: "ping", id: 1 };
  const call: HostMessage = { t: "call", id: 2, method: "submitJob", args: [{ id: "1" }] };
  assert.deepEqual(decodeHostMessage(encodeRpcBatch([ping])), ping);
  assert.deepEqual(decodeHostMessages(encodeRpcBatch([ping, call])), [ping, call]);
  assert.deepEqual(decodeHostMessages(encodeRpcBatch([call])), [call]);
});

Deno.test("decodeRunnerMessages leaves out a bad message of a batch and keeps the others", () => {
  const refused: string[] = [];
  const frame = new TextEncoder().encode(
    JSON.stringify([{ t: "pong", id: 1 }, { t: "result", id: -2 }, [{ t: "pong", id: 3 }], {
      t: "end",
      id: 4,
    }]),
  );
  const messages = decodeRunnerMessages(frame, (problem) => refused.push(problem));
  assert.deepEqual(messages, [{ t: "pong", id: 1 }, { t: "end", id: 4 }]);
  assert.deepEqual(refused, [
    'Cannot accept a message from the runner: "result" id must be a positive integer, got number -2',
    "Cannot accept a message from the runner: expected a message object, got a list",
  ]);
});

Deno.test("decodeRunnerMessages refuses a frame that is neither a message nor a list of them", () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  for (const text of ["[]", "7", '"pong"', '{"id":1}']) {
    assert.throws(
      () => decodeRunnerMessages(bytes(text), () => {}),
      /^SyntaxError: Cannot decode a frame from the runner: not a message object or a list of them$/,
      text,
    );
  }
});
