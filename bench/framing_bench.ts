// Framing: batched writes of small frames and reads of coalesced frames, in memory.
import { FrameReader, FrameWriter } from "../src/framing/mod.ts";

const small = new TextEncoder().encode(
  JSON.stringify({ messageType: 3, requestId: 7, jobId: "42", username: "alice" }),
);

Deno.bench("FrameWriter + FrameReader, 10 000 small frames through a TransformStream", async () => {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = new FrameWriter(writable);
  for (let i = 0; i < 10_000; i++) writer.write(small);
  const closing = writer.close();
  let count = 0;
  for await (const _ of new FrameReader(readable)) count++;
  await closing;
  if (count !== 10_000) throw new Error(`read ${count} frames`);
});
