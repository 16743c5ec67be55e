import assert from "node:assert/strict";
import { FrameReader, FrameWriter } from "../framing/mod.ts";
import { decodeMessage, encodeMessage } from "./codec.ts";
import { LauncherClient, type Message } from "./launcher_client.ts";

/** A LauncherClient and the plugin end of its two streams. */
function pair() {
  const toClient = new TransformStream<Uint8Array, Uint8Array>();
  const toPlugin = new TransformStream<Uint8Array, Uint8Array>();
  const client = new LauncherClient(toClient.readable, toPlugin.writable);
  const plugin = new FrameWriter(toClient.writable);
  // Read every request as it comes, so the client's writes never wait on backpressure.
  const requests: Record<string, unknown>[] = [];
  let arrived = () => {};
  void (async () => {
    for await (const payload of new FrameReader(toPlugin.readable)) {
      requests.push(decodeMessage(payload));
      arrived();
    }
  })();
  let taken = 0;
  const nextRequest = async () => {
    while (requests.length <= taken) await new Promise<void>((resolve) => arrived = resolve);
    return requests[taken++]!;
  };
  return {
    client,
    reply: (message: Record<string, unknown>) => plugin.write(encodeMessage(message)),
    replyBytes: (bytes: Uint8Array) => plugin.write(bytes),
    end: () => plugin.close(),
    nextRequest,
  };
}

async function collect(stream: AsyncIterable<Message>): Promise<Message[]> {
  const messages: Message[] = [];
  for await (const message of stream) messages.push(message);
  return messages;
}

Deno.test("LauncherClient numbers requests from 1", async () => {
  const { client } = pair();
  await using _ = client;
  assert.equal(client.nextRequestId(), 1);
  assert.equal(client.nextRequestId(), 2);
});

Deno.test("LauncherClient matches replies to requests by requestId in any order", async () => {
  const { client, reply, nextRequest, end } = pair();
  await using _ = client;
  const first = client.request({ messageType: 9, requestId: 1, username: "a" });
  const second = client.request({ messageType: 9, requestId: 2, username: "a" });
  assert.deepEqual(await nextRequest(), { messageType: 9, requestId: 1, username: "a" });
  reply({ messageType: 8, requestId: 2, responseId: 0, tag: "second" });
  reply({ messageType: 0, requestId: 0, responseId: 0 });
  reply({ messageType: 8, requestId: 1, responseId: 1, tag: "first" });
  assert.equal((await second).tag, "second");
  assert.equal((await first).tag, "first");
  assert.equal(client.heartbeats.length, 1, "heartbeats are kept apart");
  assert.deepEqual(client.received.map((m) => m.messageType), [8, 0, 8]);
  await end();
  await client.closed;
});

Deno.test("LauncherClient routes a multiplexed message to every stream in its sequences", async () => {
  const { client, reply, nextRequest, end } = pair();
  await using _ = client;
  const a = client.openStream({ messageType: 4, requestId: 5, username: "*", jobId: "*" });
  const b = client.openStream({ messageType: 4, requestId: 6, username: "*", jobId: "1" });
  assert.equal((await nextRequest()).cancel, false, "a stream is opened with cancel false");
  const both = {
    messageType: 3,
    requestId: 0,
    responseId: 0,
    sequences: [{ requestId: 5, seqId: 1 }, { requestId: 6, seqId: 1 }],
    id: "1",
  };
  reply(both);
  reply({ ...both, responseId: 1, sequences: [{ requestId: 5, seqId: 2 }], id: "2" });
  reply({ messageType: -1, requestId: 6, responseId: 0, errorCode: 3, errorMessage: "gone" });
  assert.deepEqual((await collect(b)).map((m) => m.messageType), [3, -1], "an Error ends it");
  await end();
  assert.deepEqual((await collect(a)).map((m) => m.id), ["1", "2"], "the end of input ends it");
});

Deno.test("LauncherClient ends a direct stream at its complete message", async () => {
  const { client, reply } = pair();
  await using _ = client;
  const output = client.openStream({ messageType: 6, requestId: 7, jobId: "1", outputType: 0 });
  reply({ messageType: 5, requestId: 7, responseId: 0, seqId: 1, output: "a", complete: false });
  reply({ messageType: 5, requestId: 7, responseId: 1, seqId: 2, complete: true });
  reply({ messageType: 5, requestId: 7, responseId: 2, seqId: 3, output: "late" });
  assert.deepEqual((await collect(output)).map((m) => m.seqId), [1, 2]);
});

Deno.test("LauncherClient.cancelStream ends the stream and sends the same request with cancel", async () => {
  const { client, nextRequest } = pair();
  await using _ = client;
  const request = { messageType: 7, requestId: 8, username: "a", jobId: "3" };
  const stream = client.openStream(request);
  client.cancelStream(request);
  assert.deepEqual(await collect(stream), []);
  assert.deepEqual(await nextRequest(), { cancel: false, ...request });
  assert.deepEqual(await nextRequest(), { ...request, cancel: true });
});

Deno.test("LauncherClient reports garbage from the plugin as readError and fails waiters", async () => {
  const { client, replyBytes } = pair();
  await using _ = client;
  const pending = client.request({ messageType: 9, requestId: 1 });
  replyBytes(new TextEncoder().encode("not json"));
  await assert.rejects(pending, SyntaxError);
  await client.closed;
  assert.ok(client.readError instanceof SyntaxError);
  await assert.rejects(client.request({ messageType: 9, requestId: 2 }), SyntaxError);
});

Deno.test("LauncherClient refuses a message that is not a JSON object", async () => {
  const { client, replyBytes } = pair();
  await using _ = client;
  replyBytes(new TextEncoder().encode("[1]"));
  await client.closed;
  assert.match(String(client.readError?.message), /Cannot decode message: not a JSON object/);
});

Deno.test("LauncherClient fails pending requests when the plugin closes its output", async () => {
  const { client, end } = pair();
  await using _ = client;
  const pending = client.request({ messageType: 9, requestId: 1 });
  await end();
  await assert.rejects(pending, /Plugin closed its output/);
  assert.equal(client.readError, undefined, "a clean end is not a read error");
  await assert.rejects(client.bootstrap(), /Plugin closed its output/);
});

Deno.test("LauncherClient rejects a request it cannot send and leaves no waiter behind", async () => {
  const toClient = new TransformStream<Uint8Array, Uint8Array>();
  const toPlugin = new TransformStream<Uint8Array, Uint8Array>();
  const client = new LauncherClient(toClient.readable, toPlugin.writable, { maxFrameBytes: 64 });
  const drained = toPlugin.readable.pipeTo(new WritableStream());
  const plugin = new FrameWriter(toClient.writable);
  const tooLong = client.request({ messageType: 9, requestId: 1, username: "x".repeat(100) });
  await assert.rejects(tooLong, /exceeds limit 64/);
  // Were a waiter left, ending the plugin's output would reject it with nobody listening:
  // an unhandled rejection, which fails this test.
  await plugin.close();
  await client.closed;
  await assert.rejects(
    client.request({ messageType: 9, requestId: 2, username: "a" }),
    /Plugin closed its output/,
  );
  await client.close();
  await drained;
});
