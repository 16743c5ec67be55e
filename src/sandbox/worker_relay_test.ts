import assert from "node:assert/strict";
import { relayWorker } from "./worker_relay.ts";

/** A stand-in for the runner's Worker: the test plays the plugin's side of it. */
function fakeWorker() {
  const posted: unknown[] = [];
  const worker = {
    onmessage: null as ((event: MessageEvent<unknown>) => void) | null,
    onerror: null,
    postMessage: (message: unknown) => void posted.push(message),
  };
  const frames: unknown[] = [];
  const sizes: number[] = [];
  const send = (frame: Uint8Array) => {
    sizes.push(frame.length);
    frames.push(JSON.parse(new TextDecoder().decode(frame)));
  };
  relayWorker(worker as unknown as Worker, send, "fixture");
  const fromPlugin = (data: unknown) => worker.onmessage!({ data } as MessageEvent<unknown>);
  return { frames, sizes, posted, fromPlugin };
}

Deno.test("The relay sends a burst from the Worker as one frame listing its messages in order", () => {
  const { frames, fromPlugin } = fakeWorker();
  fromPlugin([
    { t: "log", level: "info", msg: "Job accepted" },
    { t: "result", id: 1, value: { statusMessage: "Queued" } },
    { t: "result", id: 2, value: {} },
  ]);
  fromPlugin({ t: "pong", id: 3 });
  assert.deepEqual(frames, [
    [
      { t: "log", level: "info", msg: "Job accepted" },
      { t: "result", id: 1, value: { statusMessage: "Queued" } },
      { t: "result", id: 2, value: {} },
    ],
    { t: "pong", id: 3 },
  ]);
});

Deno.test("The relay refuses a bad message of a burst in its place and sends the rest", () => {
  const { frames, fromPlugin } = fakeWorker();
  fromPlugin([{ t: "result", id: 1 }, [{ t: "pong", id: 2 }], { t: "end", id: 3 }]);
  assert.deepEqual(frames, [[
    { t: "result", id: 1 },
    {
      t: "log",
      level: "warn",
      msg: 'Refused a message from plugin "fixture": expected a message object, got a list',
    },
    { t: "end", id: 3 },
  ]]);
});

Deno.test("The relay splits a burst larger than a frame and fails an answer that fits none", () => {
  const { frames, sizes, posted, fromPlugin } = fakeWorker();
  const big = "x".repeat(3 * 1024 * 1024);
  fromPlugin([
    { t: "item", id: 1, value: big },
    { t: "item", id: 1, value: big },
    { t: "result", id: 2, value: big + big },
    { t: "jobs", id: 3, op: "list", args: [{ tags: [big + big] }] },
  ]);
  assert.equal(frames.length, 2, "two 3 MiB items cannot share a 5 MiB frame");
  assert.ok(sizes.every((size) => size <= 5 * 1024 * 1024), `frame sizes ${sizes}`);
  const sent = frames.flatMap((frame) => Array.isArray(frame) ? frame : [frame]) as {
    t: string;
    id?: number;
    msg?: string;
  }[];
  assert.deepEqual(sent.map((message) => message.t), ["item", "item", "log", "error", "log"]);
  assert.equal(sent[3]!.id, 2, "the too-large result fails its call");
  assert.match(sent[2]!.msg!, /"result" of \d+ bytes, more than the 5242880 a frame may hold/);
  assert.equal((posted[0] as { t: string; id: number }).id, 3, "the ctx.jobs call is answered");
});
