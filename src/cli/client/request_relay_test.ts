import assert from "node:assert/strict";
import { type RelayMessage, RequestRelay } from "./request_relay.ts";

const BOOTSTRAP = { messageType: 1, requestId: 0, responseId: 0, version: { major: 3 } };

function sink(): { sent: RelayMessage[]; send(message: RelayMessage): void } {
  const sent: RelayMessage[] = [];
  return { sent, send: (message) => void sent.push(message) };
}

function setUp() {
  const upstream = sink();
  const relay = new RequestRelay(upstream, BOOTSTRAP);
  const a = sink();
  const b = sink();
  return { upstream, relay, a, b, connA: relay.connect(a), connB: relay.connect(b) };
}

Deno.test("RequestRelay answers Bootstrap and Heartbeat itself", () => {
  const { upstream, relay, a, connA } = setUp();
  relay.fromClient(connA, { messageType: 1, requestId: 0, version: { major: 3 } });
  relay.fromClient(connA, { messageType: 0, requestId: 0 });
  assert.deepEqual(upstream.sent, []);
  assert.deepEqual(a.sent.map((m) => m.messageType), [1, 0]);
  assert.deepEqual(a.sent[0]!.version, { major: 3 });
});

Deno.test("RequestRelay gives two clients' equal request IDs distinct upstream IDs", () => {
  const { upstream, relay, a, b, connA, connB } = setUp();
  relay.fromClient(connA, { messageType: 9, requestId: 1, username: "ann" });
  relay.fromClient(connB, { messageType: 9, requestId: 1, username: "bob" });
  const [first, second] = upstream.sent;
  assert.notEqual(first!.requestId, second!.requestId);
  relay.fromUpstream({ messageType: 8, requestId: second!.requestId, responseId: 4, who: "bob" });
  relay.fromUpstream({ messageType: 8, requestId: first!.requestId, responseId: 5, who: "ann" });
  assert.deepEqual(a.sent, [{ messageType: 8, requestId: 1, responseId: 5, who: "ann" }]);
  assert.deepEqual(b.sent, [{ messageType: 8, requestId: 1, responseId: 4, who: "bob" }]);
  assert.equal(relay.openRoutes, 0);
});

Deno.test("RequestRelay splits a multiplexed status message by connection", () => {
  const { upstream, relay, a, b, connA, connB } = setUp();
  relay.fromClient(connA, { messageType: 4, requestId: 7, jobId: "*", cancel: false });
  relay.fromClient(connB, { messageType: 4, requestId: 7, jobId: "1", cancel: false });
  const [up1, up2] = upstream.sent.map((m) => m.requestId as number);
  relay.fromUpstream({
    messageType: 3,
    requestId: 0,
    id: "1",
    status: "Running",
    sequences: [{ requestId: up1, seqId: 3 }, { requestId: up2, seqId: 1 }, {
      requestId: 999,
      seqId: 1,
    }],
  });
  assert.deepEqual(a.sent[0]!.sequences, [{ requestId: 7, seqId: 3 }]);
  assert.deepEqual(b.sent[0]!.sequences, [{ requestId: 7, seqId: 1 }]);
  assert.equal(relay.openRoutes, 2);
});

Deno.test("RequestRelay maps a stream's cancel to its upstream ID and forgets the stream", () => {
  const { upstream, relay, a, connA } = setUp();
  relay.fromClient(connA, { messageType: 6, requestId: 3, jobId: "1", cancel: false });
  const upstreamId = upstream.sent[0]!.requestId;
  relay.fromUpstream({ messageType: 5, requestId: upstreamId, output: "hi\n", complete: false });
  relay.fromClient(connA, { messageType: 6, requestId: 3, jobId: "1", cancel: true });
  assert.deepEqual(upstream.sent[1], {
    messageType: 6,
    requestId: upstreamId,
    jobId: "1",
    cancel: true,
  });
  relay.fromUpstream({ messageType: 5, requestId: upstreamId, output: "late\n" });
  assert.deepEqual(a.sent.map((m) => m.output), ["hi\n"]);
  assert.equal(relay.openRoutes, 0);
});

Deno.test("RequestRelay ends a stream on complete or Error", () => {
  const { upstream, relay, a, connA } = setUp();
  relay.fromClient(connA, { messageType: 6, requestId: 1, jobId: "1", cancel: false });
  relay.fromClient(connA, { messageType: 4, requestId: 2, jobId: "9", cancel: false });
  const [output, status] = upstream.sent.map((m) => m.requestId);
  relay.fromUpstream({ messageType: 5, requestId: output, output: "", complete: true });
  relay.fromUpstream({ messageType: -1, requestId: status, errorCode: 4, errorMessage: "no" });
  assert.deepEqual(a.sent.map((m) => m.requestId), [1, 2]);
  assert.equal(relay.openRoutes, 0);
});

Deno.test("RequestRelay cancels a leaving client's streams and drops its replies", () => {
  const { upstream, relay, a, connA } = setUp();
  relay.fromClient(connA, { messageType: 4, requestId: 1, jobId: "*", cancel: false });
  relay.fromClient(connA, { messageType: 3, requestId: 2, jobId: "*" });
  const [stream, pending] = upstream.sent.map((m) => m.requestId);
  relay.disconnect(connA);
  assert.deepEqual(upstream.sent[2], {
    messageType: 4,
    requestId: stream,
    jobId: "*",
    cancel: true,
  });
  relay.fromUpstream({ messageType: 2, requestId: pending, jobs: [] });
  assert.deepEqual(a.sent, []);
  assert.equal(relay.openRoutes, 0);
});

Deno.test("RequestRelay refuses a request without an integer requestId", () => {
  const { upstream, relay, a, connA } = setUp();
  relay.fromClient(connA, { messageType: 9, requestId: "x" });
  assert.deepEqual(upstream.sent, []);
  assert.equal(a.sent[0]!.messageType, -1);
  assert.match(String(a.sent[0]!.errorMessage), /requestId must be an integer, got "x"/);
});
