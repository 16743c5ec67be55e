import assert from "node:assert/strict";
import { LAST, MORE, PayloadJoiner, splitPayload } from "./rpc_parts.ts";

const bytes = (length: number) => Uint8Array.from({ length }, (_, i) => 0x20 + (i % 90));

Deno.test("splitPayload leaves a payload that fits in one part as it is", () => {
  const payload = new TextEncoder().encode('{"t":"ping","id":1}');
  const frames = splitPayload(payload, 64);
  assert.equal(frames.length, 1);
  assert.equal(frames[0], payload);
});

Deno.test("splitPayload cuts a long payload into marked parts no longer than the part size", () => {
  const frames = splitPayload(bytes(250), 100);
  assert.deepEqual(frames.map((frame) => frame.length), [101, 101, 51]);
  assert.deepEqual(frames.map((frame) => frame[0]), [MORE, MORE, LAST]);
});

Deno.test("PayloadJoiner puts split payloads back together, whole ones passing straight through", () => {
  const joiner = new PayloadJoiner();
  const long = bytes(1_000);
  const short = new TextEncoder().encode("{}");
  const out: Uint8Array[] = [];
  for (const frame of [...splitPayload(long, 300), short, ...splitPayload(long, 1_000)]) {
    const payload = joiner.push(frame);
    if (payload) out.push(payload);
  }
  assert.deepEqual(out, [long, short, long]);
});

Deno.test("PayloadJoiner refuses a split message past its limit and a whole one amid slices", () => {
  const joiner = new PayloadJoiner(150);
  const frames = splitPayload(bytes(400), 100);
  joiner.push(frames[0]!);
  assert.throws(
    () => joiner.push(frames[1]!),
    /^RangeError: Cannot join a split message: 200 bytes exceed the 150 byte limit$/,
  );
  const other = new PayloadJoiner();
  other.push(frames[0]!);
  assert.throws(
    () => other.push(new TextEncoder().encode("{}")),
    /^SyntaxError: Cannot join a split message: a whole message arrived after 1 slices$/,
  );
});
