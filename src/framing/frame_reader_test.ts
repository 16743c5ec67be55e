import assert from "node:assert/strict";
import { FrameError } from "./frame_error.ts";
import { FrameReader } from "./frame_reader.ts";

function frame(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + payload.length);
  new DataView(out.buffer).setUint32(0, payload.length, false);
  out.set(payload, 4);
  return out;
}

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return ReadableStream.from(chunks);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

const text = new TextEncoder();
const decoder = new TextDecoder();

Deno.test("FrameReader reads frames coalesced into one chunk", async () => {
  const bytes = concat([
    frame(text.encode("a")),
    frame(text.encode("bc")),
    frame(new Uint8Array()),
  ]);
  const reader = new FrameReader(streamOf([bytes]));
  const got: string[] = [];
  for await (const payload of reader) got.push(decoder.decode(payload));
  assert.deepEqual(got, ["a", "bc", ""]);
});

Deno.test("FrameReader reassembles a header and payload split byte by byte", async () => {
  const bytes = concat([frame(text.encode("hello")), frame(text.encode("world!"))]);
  const chunks = [...bytes].map((b) => new Uint8Array([b]));
  const reader = new FrameReader(streamOf(chunks));
  assert.equal(decoder.decode((await reader.read())!), "hello");
  assert.equal(decoder.decode((await reader.read())!), "world!");
  assert.equal(await reader.read(), null);
});

Deno.test("FrameReader grows its buffer for a frame larger than the initial buffer", async () => {
  const big = new Uint8Array(300_000).map((_, i) => i % 251);
  const bytes = frame(big);
  const chunks = [bytes.subarray(0, 3), bytes.subarray(3, 70_000), bytes.subarray(70_000)];
  const reader = new FrameReader(streamOf(chunks));
  assert.deepEqual(await reader.read(), big);
});

Deno.test("FrameReader returns copies that later reads do not overwrite", async () => {
  const reader = new FrameReader(streamOf([frame(text.encode("one")), frame(text.encode("two"))]));
  const first = (await reader.read())!;
  await reader.read();
  assert.equal(decoder.decode(first), "one");
});

Deno.test("FrameReader rejects a frame longer than maxFrameBytes before reading it", async () => {
  const header = new Uint8Array(4);
  new DataView(header.buffer).setUint32(0, 6_291_456, false);
  const reader = new FrameReader(streamOf([header]), { maxFrameBytes: 5_242_880 });
  await assert.rejects(reader.read(), (error: unknown) => {
    assert.ok(error instanceof FrameError);
    assert.equal(error.kind, "oversize");
    assert.equal(
      error.message,
      "Cannot read frame: declared length 6291456 exceeds limit 5242880",
    );
    return true;
  });
});

Deno.test("FrameReader tells a truncated payload from a clean end of stream", async () => {
  const truncated = frame(text.encode("abcdef")).subarray(0, 7);
  await assert.rejects(new FrameReader(streamOf([truncated])).read(), (error: unknown) => {
    assert.ok(error instanceof FrameError);
    assert.equal(error.kind, "truncated");
    assert.match(error.message, /ended after 7 of 10 bytes/);
    return true;
  });
  assert.equal(await new FrameReader(streamOf([])).read(), null);
});

Deno.test("FrameReader reports a stream that ends inside the header", async () => {
  const reader = new FrameReader(streamOf([new Uint8Array([0, 0])]));
  await assert.rejects(reader.read(), /ended after 2 of 4 header bytes/);
});

/** A byte stream (BYOB-capable) over the given chunks. */
function byteStreamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream({
    type: "bytes",
    pull(controller) {
      const chunk = chunks[index++];
      if (chunk) return controller.enqueue(chunk.slice());
      controller.close();
      controller.byobRequest?.respond(0);
    },
  });
}

/** A plain read() source that hands out at most `step` bytes at a time. */
function sourceOf(bytes: Uint8Array, step: number) {
  let offset = 0;
  return {
    read(buffer: Uint8Array): Promise<number | null> {
      if (offset >= bytes.length) return Promise.resolve(null);
      const n = Math.min(step, buffer.length, bytes.length - offset);
      buffer.set(bytes.subarray(offset, offset + n));
      offset += n;
      return Promise.resolve(n);
    },
  };
}

Deno.test("FrameReader reads large frames straight into their own arrays from byte streams and sources", async () => {
  const big = new Uint8Array(200_000).map((_, i) => (i * 7) % 256);
  const bytes = concat([frame(text.encode("small")), frame(big), frame(text.encode("after"))]);
  const chunks = [bytes.subarray(0, 20), bytes.subarray(20, 90_000), bytes.subarray(90_000)];
  for (
    const reader of [new FrameReader(byteStreamOf(chunks)), new FrameReader(sourceOf(bytes, 7_000))]
  ) {
    assert.equal(decoder.decode((await reader.read())!), "small");
    assert.deepEqual(await reader.read(), big);
    assert.equal(decoder.decode((await reader.read())!), "after");
    assert.equal(await reader.read(), null);
  }
});

Deno.test("FrameReader reports a large frame cut short", async () => {
  const truncated = frame(new Uint8Array(100_000)).subarray(0, 60_000);
  await assert.rejects(
    new FrameReader(sourceOf(truncated, 4_096)).read(),
    /ended after 60000 of 100004 bytes/,
  );
});

/** `sourceOf` that also counts its reads. */
function countingSource(bytes: Uint8Array, step: number) {
  const source = sourceOf(bytes, step);
  const counted = {
    reads: 0,
    read(buffer: Uint8Array) {
      counted.reads += 1;
      return source.read(buffer);
    },
  };
  return counted;
}

Deno.test("FrameReader takes a 64 KiB frame's tail with the next frame's start: one read per frame from a pipe", async () => {
  const frames = Array.from({ length: 20 }, (_, i) => new Uint8Array(64 * 1024).fill(i));
  // A pipe hands out at most 64 KiB a read, 4 bytes less than a framed 64 KiB payload.
  const source = countingSource(concat(frames.map(frame)), 64 * 1024);
  const reader = new FrameReader(source);
  for (const expected of frames) assert.deepEqual(await reader.read(), expected);
  assert.equal(await reader.read(), null);
  assert.ok(source.reads <= frames.length + 2, `${source.reads} reads for ${frames.length} frames`);
});

Deno.test("FrameReader reports a large frame whose tail never arrives", async () => {
  const truncated = frame(new Uint8Array(70_000)).subarray(0, 69_000);
  await assert.rejects(
    new FrameReader(sourceOf(truncated, 65_536)).read(),
    /ended after 69000 of 70004 bytes/,
  );
});

Deno.test("FrameReader.takeBuffered hands out only frames already read, never reading more", async () => {
  const chunks = [
    concat([
      frame(text.encode("a")),
      frame(text.encode("b")),
      frame(text.encode("c")).subarray(0, 3),
    ]),
    frame(text.encode("c")).subarray(3),
  ];
  let reads = 0;
  const source = {
    read(buffer: Uint8Array): Promise<number | null> {
      const chunk = chunks[reads++];
      if (!chunk) return Promise.resolve(null);
      buffer.set(chunk);
      return Promise.resolve(chunk.length);
    },
  };
  const reader = new FrameReader(source);
  assert.equal(reader.takeBuffered(), undefined, "nothing read yet");
  assert.equal(decoder.decode((await reader.read())!), "a");
  assert.equal(decoder.decode(reader.takeBuffered()!), "b");
  assert.equal(reader.takeBuffered(), undefined, "c is only partly read");
  assert.equal(reads, 1);
  assert.equal(decoder.decode((await reader.read())!), "c");
  assert.equal(await reader.read(), null);
});

Deno.test("FrameReader with lendPayloads hands out views of its buffer, valid until the next read", async () => {
  const frames = ["one", "two", "three"].map((word) => frame(text.encode(word)));
  const bytes = concat([...frames, frame(new Uint8Array(40_000).fill(7))]);
  // Split mid-header and mid-payload, as a pipe may.
  const reader = new FrameReader(sourceOf(bytes, 5), { lendPayloads: true });
  const first = (await reader.read())!;
  assert.equal(decoder.decode(first), "one");
  assert.notEqual(first.byteLength, first.buffer.byteLength, "a view, not a copy");
  assert.equal(decoder.decode((await reader.read())!), "two");
  assert.equal(decoder.decode((await reader.read())!), "three");
  const large = (await reader.read())!;
  assert.equal(large.length, 40_000);
  assert.equal(large.byteLength, large.buffer.byteLength, "a large frame is its own array");
  assert.equal(await reader.read(), null);
});

Deno.test("FrameReader on a ByteSource does not touch the ReadableStream global (it loads Deno's streams)", async () => {
  const original = Object.getOwnPropertyDescriptor(globalThis, "ReadableStream")!;
  let touched = 0;
  Object.defineProperty(globalThis, "ReadableStream", {
    configurable: true,
    get() {
      touched++;
      return original.value;
    },
  });
  let reader: FrameReader;
  try {
    reader = new FrameReader(sourceOf(frame(text.encode("hi")), 64));
  } finally {
    Object.defineProperty(globalThis, "ReadableStream", original);
  }
  assert.equal(touched, 0);
  assert.equal(decoder.decode((await reader.read())!), "hi");
});
