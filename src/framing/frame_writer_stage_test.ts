import assert from "node:assert/strict";
import { FrameError } from "./frame_error.ts";
import { FrameReader } from "./frame_reader.ts";
import { type ByteSink, FrameWriter } from "./frame_writer.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * A ByteSink that keeps a copy of every write; an asynchronous write resolves only when
 * `release` is called, so a test can queue more while one is in flight.
 */
function heldSink(options: { sync?: boolean; hold?: boolean } = {}) {
  const writes: Uint8Array[] = [];
  const held: (() => void)[] = [];
  const sink: ByteSink = {
    write(bytes) {
      writes.push(bytes.slice());
      if (!options.hold) return Promise.resolve(bytes.length);
      return new Promise((resolve) => held.push(() => resolve(bytes.length)));
    },
  };
  if (options.sync) {
    sink.writeSync = (bytes) => {
      writes.push(bytes.slice());
      return bytes.length;
    };
  }
  const release = () => {
    for (const wake of held.splice(0)) wake();
  };
  return { sink, writes, release };
}

async function framesOf(writes: Uint8Array[]): Promise<string[]> {
  const got: string[] = [];
  for await (const payload of new FrameReader(ReadableStream.from(writes))) {
    got.push(decoder.decode(payload));
  }
  return got;
}

Deno.test("FrameWriter copies a small payload at once, so the caller may reuse its array", async () => {
  const { sink, writes } = heldSink();
  const writer = new FrameWriter(sink);
  const scratch = new Uint8Array(5);
  for (const word of ["alpha", "bravo", "delta"]) {
    encoder.encodeInto(word, scratch);
    writer.write(scratch);
  }
  await writer.flush();
  assert.equal(writes.length, 1);
  assert.deepEqual(await framesOf(writes), ["alpha", "bravo", "delta"]);
});

Deno.test("FrameWriter.writeWith frames what fill wrote, in order with write", async () => {
  const { sink, writes } = heldSink({ sync: true });
  const writer = new FrameWriter(sink, { syncWriteBytes: 64 * 1024 });
  const text = "größe ✓";
  writer.write(encoder.encode("first"));
  writer.writeWith(text.length * 3, (target) => encoder.encodeInto(text, target).written);
  writer.write(new Uint8Array(70_000).fill(0x41)); // large: kept, not copied
  writer.writeWith(3, (target) => encoder.encodeInto("end", target).written);
  await writer.flush();
  const got = await framesOf(writes);
  assert.deepEqual(got.map((each) => each.length), [5, text.length, 70_000, 3]);
  assert.equal(got[1], text);
  assert.equal(got[3], "end");
  assert.equal(writer.queuedBytes, 0);
});

Deno.test("FrameWriter.writeWith queues nothing when fill throws, overruns or exceeds the limit", async () => {
  const { sink, writes } = heldSink();
  const writer = new FrameWriter(sink, { maxFrameBytes: 8 });
  assert.throws(() => writer.writeWith(4, () => 5), /fill returned 5, not 0 to 4/);
  assert.throws(() => writer.writeWith(4, () => -1), RangeError);
  assert.throws(() => writer.writeWith(4, () => Number.NaN), RangeError);
  assert.throws(() => writer.writeWith(16, () => 9), (error: unknown) => {
    assert.ok(error instanceof FrameError);
    assert.equal(error.kind, "oversize");
    assert.equal(error.message, "Cannot write frame: length 9 exceeds limit 8");
    return true;
  });
  assert.throws(() =>
    writer.writeWith(4, () => {
      throw new Error("encoder broke");
    }), /encoder broke/);
  writer.writeWith(8, (target) => encoder.encodeInto("ok", target).written);
  await writer.flush();
  assert.deepEqual(await framesOf(writes), ["ok"]);
});

Deno.test("FrameWriter keeps frames queued during an asynchronous write intact while its buffer grows", async () => {
  const { sink, writes, release } = heldSink({ hold: true });
  const writer = new FrameWriter(sink);
  writer.write(encoder.encode("in flight"));
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(writes.length, 1); // the first write is held
  const sent: string[] = ["in flight"];
  // Enough small frames to outgrow the 64 KiB write buffer several times over.
  for (let i = 0; i < 3_000; i++) {
    const word = `frame ${i} `.padEnd(100, ".");
    sent.push(word);
    writer.write(encoder.encode(word));
  }
  const flushed = writer.flush();
  while (writer.queuedBytes > 0) {
    release();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  await flushed;
  assert.deepEqual(await framesOf(writes), sent);
});

Deno.test("FrameWriter.writeWith works on a Web stream as well", async () => {
  const chunks: Uint8Array[] = [];
  const writer = new FrameWriter(new WritableStream({ write: (chunk) => void chunks.push(chunk) }));
  writer.writeWith(12, (target) => encoder.encodeInto("web", target).written);
  writer.writeWith(100_000, (target) => target.fill(0x42, 0, 90_000) && 90_000);
  await writer.flush();
  const got = await framesOf(chunks);
  assert.equal(got[0], "web");
  assert.equal(got[1]!.length, 90_000);
});
