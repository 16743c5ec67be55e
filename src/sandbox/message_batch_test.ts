import assert from "node:assert/strict";
import { MessageBatch } from "./message_batch.ts";

Deno.test("MessageBatch delivers the messages queued before its turn together, in order", async () => {
  const delivered: number[][] = [];
  const batch = new MessageBatch<number>((messages) => delivered.push(messages));
  const earlier = Promise.resolve().then(() => batch.push(2));
  batch.push(1);
  batch.push(3);
  assert.deepEqual(delivered, [], "nothing goes out synchronously");
  await earlier;
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.deepEqual(delivered, [[1, 3, 2]], "a microtask queued before the first push joins it");
  batch.push(4);
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.deepEqual(delivered, [[1, 3, 2], [4]]);
});

Deno.test("MessageBatch.flush delivers what is queued at once and nothing when empty", async () => {
  const delivered: string[][] = [];
  const batch = new MessageBatch<string>((messages) => delivered.push(messages));
  batch.flush();
  batch.push("call");
  batch.push("stop");
  batch.flush();
  assert.deepEqual(delivered, [["call", "stop"]]);
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.deepEqual(delivered, [["call", "stop"]], "the scheduled delivery finds nothing left");
});
