import assert from "node:assert/strict";
import type { Job } from "../sdk/mod.ts";
import { decodeMessage, encodeJobStatus } from "./codec.ts";
import { StatusStreams } from "./status_streams.ts";

const job = (id: string, user: string, extra: Partial<Job> = {}): Job => ({
  id,
  user,
  name: `job ${id}`,
  status: "Running",
  ...extra,
});

/** The message `update` has the session send, decoded, without its responseId. */
const update = (streams: StatusStreams, changed: Job) => {
  const fanOut = streams.update(changed);
  if (!fanOut) return undefined;
  const { responseId: _, ...message } = decodeMessage(encodeJobStatus(fanOut, 0));
  assert.equal((message.sequences as unknown[]).length, fanOut.count);
  return message;
};

const sequencesOf = (message: Record<string, unknown> | undefined) => message?.sequences;

Deno.test("StatusStreams.open returns one snapshot message per job with seqIds from 1", () => {
  const streams = new StatusStreams();
  const messages = streams.open(7, "alice", "*", [
    job("1", "alice", { statusMessage: "started" }),
    job("2", "alice", { status: "Pending" }),
  ]);
  assert.deepEqual(messages, [
    {
      messageType: 3,
      requestId: 0,
      sequences: [{ requestId: 7, seqId: 1 }],
      id: "1",
      name: "job 1",
      status: "Running",
      statusMessage: "started",
    },
    {
      messageType: 3,
      requestId: 0,
      sequences: [{ requestId: 7, seqId: 2 }],
      id: "2",
      name: "job 2",
      status: "Pending",
    },
  ]);
  assert.equal(streams.size, 1);
  assert.ok(streams.has(7));
  assert.deepEqual(
    sequencesOf(update(streams, job("1", "alice"))),
    [{ requestId: 7, seqId: 3 }],
    "later changes continue the stream's sequence",
  );
});

Deno.test("StatusStreams sends one message listing every stream that watches the job", () => {
  const streams = new StatusStreams();
  streams.open(1, "alice", "*", []);
  streams.open(2, "alice", "5", [job("5", "alice")]);
  streams.open(3, "*", "*", []);
  streams.open(4, "*", "5", [job("5", "alice")]);
  const message = update(streams, job("5", "alice", { status: "Finished" }));
  assert.equal(message?.status, "Finished");
  assert.equal(message?.id, "5");
  const sequences = sequencesOf(message) as { requestId: number; seqId: number }[];
  assert.deepEqual(
    [...sequences].sort((a, b) => a.requestId - b.requestId),
    [
      { requestId: 1, seqId: 1 },
      { requestId: 2, seqId: 2 },
      { requestId: 3, seqId: 1 },
      { requestId: 4, seqId: 2 },
    ],
  );
});

Deno.test("StatusStreams counts seqIds per stream", () => {
  const streams = new StatusStreams();
  streams.open(1, "alice", "*", [job("1", "alice"), job("2", "alice")]);
  streams.open(2, "alice", "2", [job("2", "alice")]);
  assert.deepEqual(sequencesOf(update(streams, job("1", "alice"))), [{ requestId: 1, seqId: 3 }]);
  const both = sequencesOf(update(streams, job("2", "alice"))) as { requestId: number }[];
  assert.deepEqual(
    [...both].sort((a, b) => a.requestId - b.requestId),
    [{ requestId: 1, seqId: 4 }, { requestId: 2, seqId: 2 }],
  );
});

Deno.test("StatusStreams never shows a user's all-jobs stream another user's job", () => {
  const streams = new StatusStreams();
  streams.open(1, "alice", "*", []);
  assert.equal(update(streams, job("9", "bob")), undefined);
  assert.equal(update(streams, job("9", "*")), undefined, 'a job owned by "*" is nobody\'s');
  assert.equal(update(streams, { id: "9", status: "Running" }), undefined, "a job without user");
  assert.deepEqual(sequencesOf(update(streams, job("8", "alice"))), [{ requestId: 1, seqId: 1 }]);
});

Deno.test('StatusStreams shows the all-jobs stream of user "*" every job', () => {
  const streams = new StatusStreams();
  streams.open(1, "*", "*", []);
  assert.deepEqual(sequencesOf(update(streams, job("9", "bob"))), [{ requestId: 1, seqId: 1 }]);
  assert.deepEqual(sequencesOf(update(streams, job("8", "alice"))), [{ requestId: 1, seqId: 2 }]);
  assert.deepEqual(sequencesOf(update(streams, { id: "7" })), [{ requestId: 1, seqId: 3 }]);
});

Deno.test("StatusStreams gives a job stream only that job, and only if its user may see it", () => {
  const streams = new StatusStreams();
  streams.open(1, "alice", "5", []);
  assert.equal(update(streams, job("6", "alice")), undefined, "another job");
  assert.equal(update(streams, job("5", "bob")), undefined, "the job now belongs to someone else");
  assert.deepEqual(sequencesOf(update(streams, job("5", "alice"))), [{ requestId: 1, seqId: 1 }]);
});

Deno.test("StatusStreams fills name and status and omits an empty statusMessage/statusCode", () => {
  const streams = new StatusStreams();
  streams.open(1, "*", "*", []);
  const message = update(streams, { id: "3", statusMessage: "", statusCode: "" });
  assert.deepEqual(message, {
    messageType: 3,
    requestId: 0,
    sequences: [{ requestId: 1, seqId: 1 }],
    id: "3",
    name: "",
    status: "Pending",
  });
  const coded = update(streams, job("3", "a", { statusMessage: "m", statusCode: "OOMKilled" }));
  assert.equal(coded?.statusMessage, "m");
  assert.equal(coded?.statusCode, "OOMKilled");
});

Deno.test("StatusStreams.close refuses a cancel naming another job", () => {
  const streams = new StatusStreams();
  streams.open(1, "alice", "5", []);
  streams.open(2, "alice", "*", []);
  assert.equal(streams.close(1, "6"), false);
  assert.equal(streams.close(2, "5"), false);
  assert.ok(streams.has(1) && streams.has(2));
  assert.equal(streams.close(1, "5"), true);
  assert.equal(streams.close(2, "*"), true);
  assert.equal(streams.close(2, "*"), false, "closing twice");
  assert.equal(streams.close(99), false, "a stream that was never opened");
  assert.equal(streams.size, 0);
  assert.equal(update(streams, job("5", "alice")), undefined);
});

Deno.test("StatusStreams.close without a jobId closes only that stream", () => {
  const streams = new StatusStreams();
  streams.open(1, "alice", "*", []);
  streams.open(2, "alice", "*", []);
  assert.equal(streams.close(1), true);
  assert.deepEqual(sequencesOf(update(streams, job("5", "alice"))), [{ requestId: 2, seqId: 1 }]);
});

Deno.test("StatusStreams.closeAll closes every stream", () => {
  const streams = new StatusStreams();
  streams.open(1, "alice", "*", []);
  streams.open(2, "*", "*", []);
  streams.open(3, "bob", "5", []);
  streams.closeAll();
  assert.equal(streams.size, 0);
  assert.equal(streams.has(2), false);
  assert.equal(update(streams, job("5", "bob")), undefined);
  assert.equal(update(streams, job("6", "alice")), undefined);
});

Deno.test("StatusStreams reopening a closed requestId starts its seqIds at 1 again", () => {
  const streams = new StatusStreams();
  streams.open(1, "alice", "*", [job("1", "alice")]);
  streams.close(1);
  const [snapshot] = streams.open(1, "alice", "*", [job("1", "alice")]);
  assert.deepEqual(sequencesOf(snapshot), [{ requestId: 1, seqId: 1 }]);
});

Deno.test("StatusStreams sends changes heard while a snapshot was read after it, minus those it shows", () => {
  const streams = new StatusStreams();
  const at = (status: string, time: string) =>
    job("1", "alice", { status: status as NonNullable<Job["status"]>, lastUpdateTime: time });
  streams.reserve(1, "alice", "1");
  assert.equal(update(streams, at("Pending", "t1")), undefined, "held, not sent");
  assert.equal(update(streams, at("Running", "t2")), undefined);
  assert.equal(update(streams, at("Finished", "t3")), undefined);
  const messages = streams.open(1, "alice", "1", [at("Running", "t2")]);
  assert.deepEqual(messages.map((m) => m.status), ["Running", "Finished"]);
  assert.deepEqual(messages.map((m) => sequencesOf(m)), [
    [{ requestId: 1, seqId: 1 }],
    [{ requestId: 1, seqId: 2 }],
  ]);
  assert.equal(
    update(streams, at("Finished", "t3")),
    undefined,
    "a change already sent is not sent again",
  );
});
