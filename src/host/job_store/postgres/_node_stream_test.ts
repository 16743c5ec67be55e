import assert from "node:assert/strict";
import { dataPieces, type Envelope, payloadBytes } from "./_node_envelope.ts";
import { INLINE_PAYLOAD_BYTES, STREAM_WINDOW } from "./constants.ts";
import { StreamReceiver } from "./_stream_receiver.ts";
import { StreamSender } from "./_stream_sender.ts";

const open = { job: "7", kind: "output" as const, user: "alice", wanted: "both" };

/**
 * A sender and a receiver joined by an in-process "network" that may lose, repeat or
 * reorder messages; `transform` sees each message and returns what to deliver.
 */
function pair(
  items: (signal: AbortSignal) => AsyncIterable<unknown>,
  transform: (e: Envelope) => Envelope[] = (e) => [e],
  alive = { owner: true },
  ackDelayMs = 0,
) {
  const sent: Envelope[] = [];
  let sender: StreamSender | undefined;
  const toReceiver = (e: Envelope) => {
    sent.push(e);
    // Delivered after a random delay of up to 3 ms: out of order, as verification may be.
    for (const copy of transform(structuredClone(e))) {
      setTimeout(() => receiver.receive(copy), Math.random() * 3);
    }
    return Promise.resolve();
  };
  const receiver = new StreamReceiver({
    id: "s1",
    self: "b",
    owner: "a",
    open,
    openTimeoutMs: 2_000,
    peerCheckMs: 50,
    ownerAlive: () => Promise.resolve(alive.owner),
    errorOf: (why) => new Error(typeof why === "string" ? why : `${why?.code}: ${why?.message}`),
    send: (e) => {
      if (e.k === "open" && !sender) {
        sender = new StreamSender({
          id: e.id,
          self: "a",
          peer: "b",
          send: toReceiver,
          items,
          peerAlive: () => Promise.resolve(true),
          peerCheckMs: 50,
          onError: (error) => assert.fail(String(error)),
        });
        done.push(sender.run());
      } else if (e.k === "ack") sender?.ack(e.n!, e.gap);
      else if (e.k === "cancel") sender?.cancel();
      // A slow send (a NOTIFY round trip): messages keep arriving meanwhile.
      return new Promise((resolve) => setTimeout(resolve, e.k === "ack" ? ackDelayMs : 0));
    },
  });
  const done: Promise<void>[] = [];
  return { receiver, sent, senderDone: () => Promise.all(done) };
}

async function collect(iterable: AsyncIterable<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

async function* numbered(count: number, gapMs = 0) {
  for (let i = 0; i < count; i++) {
    if (gapMs) await new Promise((resolve) => setTimeout(resolve, gapMs));
    yield { output: `line ${i}\n`, outputType: "stdout" };
  }
}

Deno.test("A forwarded stream delivers 500 items in order, each once, past its window", async () => {
  async function* kilobytes() {
    for (let i = 0; i < 500; i++) {
      yield { output: `${i} ${'é"'.repeat(500)}`, outputType: "stdout" };
    }
  }
  const t = pair(kilobytes);
  const got = await collect(t.receiver.items(new AbortController().signal));
  assert.deepEqual(got, await collect(kilobytes()));
  const data = t.sent.filter((e) => e.k === "data");
  assert.ok(data.some((e) => e.many), "items that queued up travelled together");
  assert.ok(new Set(data.map((e) => e.n)).size > STREAM_WINDOW, "more messages than the window");
  for (const e of data) assert.ok(payloadBytes(e) <= INLINE_PAYLOAD_BYTES, `${payloadBytes(e)} B`);
  await t.senderDone();
});

Deno.test("A forwarded stream keeps going when messages arrive while it acknowledges", async () => {
  const t = pair(() => numbered(300), (e) => [e], { owner: true }, 4);
  // A stall (a wake-up lost while an ack was sent) holds the stream until the deadline.
  const deadline = AbortSignal.timeout(10_000);
  const got: unknown[] = [];
  for await (const item of t.receiver.items(deadline)) {
    if (deadline.aborted) break;
    got.push(item);
  }
  assert.equal(got.length, 300, "the stream stalled");
  await t.senderDone();
});

Deno.test("A forwarded stream survives lost, repeated and reordered messages", async () => {
  // Lost once each: one early (asked for again at once), two in a row, and the end (sent
  // again after no acknowledgement came).
  const lose = new Set<number | "end">([2, 5, 6, "end"]);
  let count = 0;
  const t = pair(() => numbered(120, 1), (e) => {
    if (e.k === "data" && lose.delete(e.end ? "end" : e.n!)) return [];
    return ++count % 5 === 0 ? [e, e] : [e];
  });
  const got = await collect(t.receiver.items(new AbortController().signal));
  assert.deepEqual(got, await collect(numbered(120)));
  assert.equal(lose.size, 0);
  assert.ok(t.sent.filter((e) => e.end).length >= 2, "the lost end was sent again");
  await t.senderDone();
});

Deno.test("A forwarded output chunk larger than a notification arrives whole", async () => {
  const big = `"quoted" \\ é 😀 \u0001 `.repeat(2_000);
  async function* items() {
    yield { output: big, outputType: "mixed" };
    yield { output: "after\n", outputType: "stdout" };
  }
  const t = pair(items);
  const got = await collect(t.receiver.items(new AbortController().signal));
  assert.deepEqual(got, [{ output: big, outputType: "mixed" }, {
    output: "after\n",
    outputType: "stdout",
  }]);
  assert.ok(t.sent.filter((e) => e.more).length > 5, "the big chunk travelled in pieces");
});

Deno.test("A forwarded stream raises the owner's error with its code", async () => {
  async function* items() {
    yield { output: "x", outputType: "stdout" };
    throw Object.assign(new Error("Job 7 has no output files"), { code: 7 });
  }
  const t = pair(items);
  const got: unknown[] = [];
  await assert.rejects(async () => {
    for await (const item of t.receiver.items(new AbortController().signal)) got.push(item);
  }, /^Error: 7: Job 7 has no output files$/);
  assert.equal(got.length, 1);
});

Deno.test("Leaving a forwarded stream early cancels the owner's stream", async () => {
  let ownerSignal: AbortSignal | undefined;
  async function* endless(signal: AbortSignal) {
    ownerSignal = signal;
    for (let i = 0; !signal.aborted; i++) {
      yield { output: `${i}`, outputType: "stdout" };
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }
  const t = pair(endless);
  let seen = 0;
  for await (const _ of t.receiver.items(new AbortController().signal)) if (++seen === 10) break;
  await t.senderDone();
  assert.equal(ownerSignal?.aborted, true, "the owner's stream was aborted");
});

Deno.test("A forwarded stream fails naming why once its owner holds no lease", async () => {
  const alive = { owner: true };
  async function* endless(signal: AbortSignal) {
    while (!signal.aborted) {
      yield { output: ".", outputType: "stdout" };
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
  const t = pair(endless, (e) => [e], alive);
  let seen = 0;
  await assert.rejects(async () => {
    for await (const _ of t.receiver.items(new AbortController().signal)) {
      if (++seen === 3) alive.owner = false;
    }
  }, /^Error: gone$/);
  await t.senderDone();
});

Deno.test("dataPieces splits only oversized output and keeps every piece under the limit", () => {
  const base = { id: crypto.randomUUID(), from: "node-a", to: "node-b" };
  assert.equal(dataPieces(base, { output: "small", outputType: "stdout" }).length, 1);
  const text = 'é"\n\\😀'.repeat(3_000);
  const pieces = dataPieces(base, { output: text, outputType: "stdout" }, 2_000);
  assert.ok(pieces.length > 10);
  for (const piece of pieces) {
    assert.ok(payloadBytes({ ...piece, n: 123456 }) <= 2_000, `${payloadBytes(piece)} bytes`);
  }
  assert.equal(pieces.map((p) => (p.d as { output: string }).output).join(""), text);
  assert.deepEqual(pieces.map((p) => p.more ?? false), pieces.map((_, i) => i < pieces.length - 1));
  assert.throws(
    () => dataPieces(base, { cpuPercent: 1, note: "x".repeat(9_000) }),
    /Cannot forward a stream item of \d+ bytes: it exceeds 7900 bytes/,
  );
});
