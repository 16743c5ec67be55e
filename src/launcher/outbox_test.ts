import assert from "node:assert/strict";
import { FrameReader, FrameWriter } from "../framing/mod.ts";
import { JsonLogger } from "../log/mod.ts";
import { decodeMessage } from "./codec.ts";
import { SequenceList, sequencePrefix } from "./_sequence_list.ts";
import { Outbox } from "./outbox.ts";
import { errorResponse, heartbeatResponse, jobStateResponse } from "./responses.ts";

/** An Outbox over a FrameWriter whose stream records every chunk, and a log kept in memory. */
function recordingOutbox(options: { maxFrameBytes?: number; failWrites?: boolean } = {}) {
  const chunks: Uint8Array[] = [];
  const lines: Record<string, unknown>[] = [];
  const stream = new WritableStream<Uint8Array>({
    write(chunk) {
      if (options.failWrites) return Promise.reject(new Error("Broken pipe"));
      chunks.push(chunk);
    },
  });
  const writer = new FrameWriter(stream, { maxFrameBytes: options.maxFrameBytes ?? 1024 });
  const log = new JsonLogger({ sinks: [{ writeLine: (line) => lines.push(JSON.parse(line)) }] });
  const errorCodes: number[] = [];
  const outbox = new Outbox(writer, log, { onErrorSent: (code) => errorCodes.push(code) });
  /** The messages written so far, decoded from the recorded frames. */
  const sent = async () => {
    await writer.flush().catch(() => {});
    const reader = new FrameReader(ReadableStream.from([...chunks]));
    const messages: Record<string, unknown>[] = [];
    for await (const payload of reader) messages.push(decodeMessage(payload));
    return messages;
  };
  return { outbox, writer, lines, sent, errorCodes };
}

Deno.test("Outbox numbers responses from 0 and gives Heartbeat and Error responseId 0", async () => {
  const { outbox, sent } = recordingOutbox();
  outbox.send(jobStateResponse(5, []));
  outbox.send(heartbeatResponse());
  outbox.send(errorResponse(6, 3, "Job 9 not found"));
  outbox.send(jobStateResponse(7, []));
  const messages = await sent();
  assert.deepEqual(messages.map((m) => [m.requestId, m.responseId]), [
    [5, 0],
    [0, 0],
    [6, 0],
    [7, 1],
  ]);
  assert.equal(outbox.sent, 4);
});

Deno.test("Outbox reports the code of every Error it writes, its own oversize one too", () => {
  const { outbox, errorCodes } = recordingOutbox({ maxFrameBytes: 400 });
  outbox.send(errorResponse(6, 3, "Job 9 not found"));
  outbox.send(jobStateResponse(7, []));
  outbox.send(errorResponse(8, 2, "Invalid request"));
  outbox.send(jobStateResponse(9, [{ id: "1", stdin: "x".repeat(500) }]));
  assert.deepEqual(errorCodes, [3, 2, 0]);
});

Deno.test("Outbox writes messageType, requestId and responseId first", async () => {
  const { outbox, sent } = recordingOutbox();
  outbox.send({ jobs: [], requestId: 3, messageType: 2 });
  outbox.send({ errorMessage: "m", errorCode: 2, requestId: 4, messageType: -1 });
  const messages = await sent();
  assert.deepEqual(Object.keys(messages[0]!), ["messageType", "requestId", "responseId", "jobs"]);
  assert.deepEqual(Object.keys(messages[1]!), [
    "messageType",
    "requestId",
    "responseId",
    "errorMessage",
    "errorCode",
  ]);
});

Deno.test("Outbox leaves the caller's response object unstamped", () => {
  const { outbox } = recordingOutbox();
  const response = jobStateResponse(5, []);
  outbox.send(response);
  assert.equal("responseId" in response, false);
});

Deno.test("Outbox replaces a response too large for a frame with an Error for its request", async () => {
  const { outbox, lines, sent } = recordingOutbox({ maxFrameBytes: 400 });
  outbox.send(jobStateResponse(9, [{ id: "1", stdin: "x".repeat(500) }]));
  outbox.send(jobStateResponse(10, []));
  const messages = await sent();
  assert.equal(messages.length, 2);
  const [error, next] = messages;
  assert.equal(error?.messageType, -1);
  assert.equal(error?.requestId, 9);
  assert.equal(error?.responseId, 0);
  assert.equal(error?.errorCode, 0);
  assert.match(
    String(error?.errorMessage),
    /^Cannot send response: \d+ bytes exceed the 400 byte message limit; raise max-message-size to at least \d+, or narrow the request/,
  );
  assert.equal(next?.requestId, 10);
  assert.equal(next?.responseId, 1, "the refused response still used up its responseId");
  assert.equal(outbox.sent, 2);
  const warning = lines.find((line) => line.msg === "Response too large for one frame");
  assert.equal(warning?.requestId, 9);
  assert.equal(warning?.messageType, 2);
  assert.ok(Number(warning?.bytes) > 400);
});

Deno.test({
  name: "Outbox drops an Error response that itself does not fit in a frame",
}, async () => {
  const { outbox, sent } = recordingOutbox({ maxFrameBytes: 50 });
  outbox.send(jobStateResponse(9, [{ id: "1", stdin: "x".repeat(100) }]));
  assert.deepEqual(await sent(), []);
});

Deno.test("Outbox sends nothing after the writer failed", async () => {
  const { outbox, writer } = recordingOutbox({ failWrites: true });
  assert.equal(outbox.open, true);
  outbox.send(jobStateResponse(1, []));
  await assert.rejects(writer.flush(), /Broken pipe/);
  assert.equal(outbox.open, false);
  outbox.send(jobStateResponse(2, []));
  outbox.send(heartbeatResponse());
  assert.equal(outbox.sent, 1, "only the frame handed over before the failure is counted");
});

Deno.test("Outbox encodes short responses in place and long ones whole, the same JSON either way", async () => {
  const writes: Uint8Array[] = [];
  const sink = {
    write: (bytes: Uint8Array) => (writes.push(bytes.slice()), Promise.resolve(bytes.length)),
  };
  const writer = new FrameWriter(sink, { maxFrameBytes: 64 * 1024 });
  const outbox = new Outbox(writer, new JsonLogger({ sinks: [] }));
  const name = "Jöb ✓ 名前";
  outbox.send(jobStateResponse(1, [{ id: "1", name }]));
  // 30 000 characters: over the in-place size and, at 3 bytes each, over the limit; as
  // ASCII it fits, so it is sent, not refused.
  outbox.send(jobStateResponse(2, [{ id: "2", name: "n".repeat(30_000) }]));
  await writer.flush();
  const messages: Record<string, unknown>[] = [];
  for await (const payload of new FrameReader(ReadableStream.from(writes))) {
    messages.push(decodeMessage(payload));
  }
  assert.deepEqual(messages.map((m) => (m.jobs as { name: string }[])[0]?.name.length), [
    name.length,
    30_000,
  ]);
  assert.equal((messages[0]?.jobs as { name: string }[])[0]?.name, name);
});

Deno.test("Outbox.sendJobStatus numbers a status message among the other responses", async () => {
  const { outbox, sent } = recordingOutbox();
  const list = new SequenceList();
  list.add(sequencePrefix(3), 2);
  outbox.send(jobStateResponse(5, []));
  outbox.sendJobStatus({ job: { id: "9", status: "Running" }, sequences: list.view(), count: 1 });
  outbox.send(heartbeatResponse());
  outbox.send(jobStateResponse(6, []));
  const messages = await sent();
  assert.deepEqual(messages.map((m) => [m.messageType, m.responseId]), [[2, 0], [3, 1], [0, 0], [
    2,
    2,
  ]]);
  assert.deepEqual(messages[1]!.sequences, [{ requestId: 3, seqId: 2 }]);
  assert.equal(outbox.sent, 4);
});

Deno.test("Outbox.sendJobStatus replaces a status message too large for a frame with an Error", async () => {
  const { outbox, sent, errorCodes } = recordingOutbox({ maxFrameBytes: 400 });
  const list = new SequenceList();
  for (let id = 1; id <= 40; id++) list.add(sequencePrefix(id), 1);
  outbox.sendJobStatus({ job: { id: "9" }, sequences: list.view(), count: 40 });
  const [message, ...rest] = await sent();
  assert.equal(rest.length, 0);
  assert.equal(message?.messageType, -1);
  assert.equal(message?.requestId, 0);
  assert.match(String(message?.errorMessage), /exceed the 400 byte message limit/);
  assert.deepEqual(errorCodes, [0]);
});
