import assert from "node:assert/strict";
import { FrameError } from "./frame_error.ts";
import { FrameReader } from "./frame_reader.ts";
import { FrameWriter } from "./frame_writer.ts";
import { DEFAULT_MAX_FRAME_BYTES, WRITE_HIGH_WATER_BYTES } from "./constants.ts";

/** A sink that records each write it receives. */
function recordingSink(): { stream: WritableStream<Uint8Array>; writes: Uint8Array[] } {
  const writes: Uint8Array[] = [];
  return { writes, stream: new WritableStream({ write: (chunk) => void writes.push(chunk) }) };
}

const text = new TextEncoder();

Deno.test("FrameWriter batches frames queued in one tick into one write", async () => {
  const sink = recordingSink();
  const writer = new FrameWriter(sink.stream);
  for (let i = 0; i < 100; i++) writer.write(text.encode(`frame ${i}`));
  await writer.flush();
  assert.equal(sink.writes.length, 1);
  const reader = new FrameReader(ReadableStream.from(sink.writes));
  const got: string[] = [];
  for await (const payload of reader) got.push(new TextDecoder().decode(payload));
  assert.equal(got.length, 100);
  assert.equal(got[99], "frame 99");
});

Deno.test("FrameWriter keeps order across many batches and big frames", async () => {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = new FrameWriter(writable);
  const sent = Array.from({ length: 50 }, (_, i) => new Uint8Array(i * 7000).fill(i));
  for (const payload of sent) writer.write(payload);
  const closing = writer.close();
  const got: Uint8Array[] = [];
  for await (const payload of new FrameReader(readable)) got.push(payload);
  await closing;
  assert.deepEqual(got, sent);
});

Deno.test("FrameWriter refuses a payload longer than maxFrameBytes", () => {
  const writer = new FrameWriter(recordingSink().stream, { maxFrameBytes: 10 });
  assert.throws(() => writer.write(new Uint8Array(11)), (error: unknown) => {
    assert.ok(error instanceof FrameError);
    assert.equal(error.kind, "oversize");
    assert.equal(error.message, "Cannot write frame: length 11 exceeds limit 10");
    return true;
  });
});

Deno.test("FrameWriter reports a failed stream on flush and later writes", async () => {
  const broken = new WritableStream<Uint8Array>({
    write: () => Promise.reject(new Error("Broken pipe (os error 32)")),
  });
  const writer = new FrameWriter(broken);
  writer.write(new Uint8Array([1]));
  await assert.rejects(writer.flush(), /Cannot write frame: Broken pipe/);
  assert.throws(() => writer.write(new Uint8Array([2])), FrameError);
  await writer.close();
});

Deno.test("FrameWriter refuses writes after close", async () => {
  const writer = new FrameWriter(recordingSink().stream);
  await writer.close();
  assert.throws(() => writer.write(new Uint8Array([1])), /writer is closed/);
});

/** A ByteSink that keeps a copy of every write (the writer may reuse its buffer). */
function copyingSink() {
  const writes: Uint8Array[] = [];
  return {
    writes,
    write(bytes: Uint8Array): Promise<number> {
      writes.push(bytes.slice());
      return Promise.resolve(bytes.length);
    },
  };
}

Deno.test("FrameWriter gathers queued 64 KiB frames into megabyte writes and writes a lone one uncopied", async () => {
  const sink = copyingSink();
  const writer = new FrameWriter(sink);
  const frames = Array.from({ length: 20 }, (_, i) => new Uint8Array(64 * 1024).fill(i));
  for (const payload of frames) writer.write(payload);
  await writer.flush();
  assert.equal(sink.writes.length, 2, "20 frames of 64 KiB in two writes of about 1 MiB");
  const got: Uint8Array[] = [];
  for await (const payload of new FrameReader(ReadableStream.from(sink.writes))) got.push(payload);
  assert.deepEqual(got, frames);

  sink.writes.length = 0;
  writer.write(frames[3]!);
  await writer.flush();
  assert.deepEqual(sink.writes.map((w) => w.length), [4, 64 * 1024]);
});

Deno.test("FrameWriter gives a Web stream a fresh chunk per batch (streams may keep chunks)", async () => {
  const kept: Uint8Array[] = [];
  const writer = new FrameWriter(new WritableStream({ write: (chunk) => void kept.push(chunk) }));
  const frames = Array.from({ length: 40 }, (_, i) => new Uint8Array(64 * 1024).fill(i));
  for (const payload of frames) writer.write(payload);
  await writer.flush();
  assert.ok(kept.length >= 2, `${kept.length} writes`);
  const got: Uint8Array[] = [];
  for await (const payload of new FrameReader(ReadableStream.from(kept))) got.push(payload);
  assert.deepEqual(got, frames);
});

Deno.test("FrameWriter writes mixed small and multi-megabyte frames to a ByteSink intact, in order", async () => {
  const sink = copyingSink();
  const writer = new FrameWriter(sink, { maxFrameBytes: 8 * 1024 * 1024 });
  const sizes = [10, 3 * 1024 * 1024, 7, 64 * 1024, 1_500_000, 0, 2_500_000, 3];
  const frames = sizes.map((size, i) => new Uint8Array(size).fill(i + 1));
  for (let round = 0; round < 2; round++) {
    for (const payload of frames) writer.write(payload);
    await writer.flush();
  }
  const got: Uint8Array[] = [];
  const reader = new FrameReader(ReadableStream.from(sink.writes), {
    maxFrameBytes: 8 * 1024 * 1024,
  });
  for await (const payload of reader) got.push(payload);
  assert.deepEqual(got, [...frames, ...frames]);
});

Deno.test("FrameWriter.whenBelow waits while a slow reader leaves more than the limit queued", async () => {
  const released: (() => void)[] = [];
  const sink = {
    write: (bytes: Uint8Array) =>
      new Promise<number>((resolve) => released.push(() => resolve(bytes.length))),
  };
  const writer = new FrameWriter(sink, { maxFrameBytes: 4 * 1024 * 1024 });
  for (let i = 0; i < 3; i++) writer.write(new Uint8Array(1024 * 1024));
  assert.equal(writer.queuedBytes, 3 * (1024 * 1024 + 4));
  let below = false;
  const waiting = writer.whenBelow(1024 * 1024 + 4).then(() => below = true);
  while (released.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
  assert.equal(below, false, "nothing has been written yet");
  while (!below) {
    released.shift()?.();
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await waiting;
  assert.ok(writer.queuedBytes <= 1024 * 1024 + 4);
  while (writer.queuedBytes > 0) {
    released.shift()?.();
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await writer.flush();
});

Deno.test("FrameWriter.whenBelow resolves when the stream fails", async () => {
  const writer = new FrameWriter(
    new WritableStream({ write: () => Promise.reject(new Error("EPIPE")) }),
  );
  writer.write(new Uint8Array(100));
  await writer.whenBelow(0);
  assert.equal(writer.queuedBytes, 0);
  assert.ok(writer.failure);
});

Deno.test("WRITE_HIGH_WATER_BYTES holds at least one frame of the default size", () => {
  assert.ok(WRITE_HIGH_WATER_BYTES >= DEFAULT_MAX_FRAME_BYTES);
  assert.equal(WRITE_HIGH_WATER_BYTES, 8 * 1024 * 1024);
});

Deno.test("FrameWriter writes batches up to syncWriteBytes with writeSync, larger ones asynchronously", async () => {
  const sync: number[] = [];
  const sink = {
    ...copyingSink(),
    writeSync(bytes: Uint8Array): number {
      sync.push(bytes.length);
      return Math.min(bytes.length, 5); // a short write: the writer writes the rest
    },
  };
  const writer = new FrameWriter(sink, { syncWriteBytes: 100 });
  writer.write(new Uint8Array(10));
  writer.write(new Uint8Array(20));
  await writer.flush();
  assert.deepEqual(sync, [38, 33, 28, 23, 18, 13, 8, 3], "one batch of both frames, all of it");
  assert.equal(sink.writes.length, 0);
  writer.write(new Uint8Array(200));
  await writer.flush();
  assert.deepEqual(sink.writes.map((w) => w.length), [204]);
  const plain = copyingSink();
  const unsynced = new FrameWriter({ ...plain, writeSync: () => assert.fail("not asked for") });
  unsynced.write(new Uint8Array(10));
  await unsynced.flush();
  assert.equal(plain.writes.length, 1);
});

Deno.test("FrameWriter on a ByteSink does not touch the WritableStream global (it loads Deno's streams)", async () => {
  const original = Object.getOwnPropertyDescriptor(globalThis, "WritableStream")!;
  let touched = 0;
  Object.defineProperty(globalThis, "WritableStream", {
    configurable: true,
    get() {
      touched++;
      return original.value;
    },
  });
  const sink = copyingSink();
  let writer: FrameWriter;
  try {
    writer = new FrameWriter(sink);
  } finally {
    Object.defineProperty(globalThis, "WritableStream", original);
  }
  assert.equal(touched, 0);
  writer.write(text.encode("hi"));
  await writer.flush();
  assert.deepEqual(sink.writes.map((w) => w.length), [6]);
});
