import assert from "node:assert/strict";
import { FrameReader, FrameWriter } from "../../src/framing/mod.ts";
import {
  STDIN_SOCKET_PAUSE_BYTES,
  STDIN_SOCKET_READS,
  STDIN_SOCKET_WINDOW_MS,
} from "../../src/framing/constants.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const FIXTURE = `${ROOT}test/fixtures/framing/echo_frames.ts`;
const DENO_ARGS = ["run", "--no-prompt", "--allow-read", "--config", `${ROOT}deno.json`, FIXTURE];

interface Report {
  onSocket: boolean;
  refused?: string;
}

/** Payloads of assorted sizes, each filled with its own index, so a lost or moved byte shows. */
function payloads(count: number, large: number[] = []): Uint8Array[] {
  return Array.from({ length: count }, (_, i) => {
    const size = large.includes(i) ? 300_000 + i : 1 + (i * 37) % 700;
    return new Uint8Array(size).fill(i % 251);
  });
}

/**
 * Runs the echo fixture with piped stdin, writing each frame on its own and some split in
 * two with a pause between (so the fixture sees many reads and frames cut across them).
 */
async function echoThroughPipe(sent: Uint8Array[], args: string[]) {
  const child = new Deno.Command(Deno.execPath(), {
    args: [...DENO_ARGS, ...args],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const received = (async () => {
    const got: Uint8Array[] = [];
    const reader = new FrameReader(child.stdout, { maxFrameBytes: 64 * 1024 * 1024 });
    for await (const payload of reader) got.push(payload);
    return got;
  })();
  const stdin = child.stdin.getWriter();
  for (const [i, payload] of sent.entries()) {
    const frame = new Uint8Array(4 + payload.length);
    new DataView(frame.buffer).setUint32(0, payload.length, false);
    frame.set(payload, 4);
    const cut = i % 5 === 0 ? Math.min(2 + (i % 9), frame.length) : frame.length;
    await stdin.write(frame.subarray(0, cut));
    if (cut < frame.length) {
      await new Promise((resolve) => setTimeout(resolve, 2));
      await stdin.write(frame.subarray(cut));
    }
    if (i % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await stdin.close();
  const [got, status, text] = await Promise.all([received, child.status, stderr]);
  assert.equal(status.code, 0, text);
  return { got, report: JSON.parse(text.trim().split("\n").at(-1)!) as Report, stderr: text };
}

Deno.test("StdinSource moves to a socket once busy and loses no byte across the move", async () => {
  const sent = payloads(400, [10, 250]);
  const { got, report } = await echoThroughPipe(sent, ["4"]);
  assert.equal(report.onSocket, true, JSON.stringify(report));
  assert.equal(got.length, sent.length);
  assert.deepEqual(got, sent);
});

Deno.test("StdinSource stays on Deno.stdin while reads are fewer than switchAfterReads", async () => {
  const sent = payloads(20);
  const { got, report } = await echoThroughPipe(sent, ["100000"]);
  assert.equal(report.onSocket, false);
  assert.equal(report.refused, undefined, "it never tried");
  assert.deepEqual(got, sent);
});

Deno.test("StdinSource pauses a socket that outruns a slow reader and resumes it, in order", async () => {
  // 64 KiB pause threshold, 1 ms before each read: the writer gets far ahead.
  const sent = payloads(300, [100, 101, 102, 103, 104]);
  const { got, report } = await echoThroughPipe(sent, ["4", String(64 * 1024), "1"]);
  assert.equal(report.onSocket, true);
  assert.deepEqual(got, sent);
});

Deno.test("StdinSource keeps a stdin that is a file on Deno.stdin, saying why", async () => {
  const file = await Deno.makeTempFile();
  try {
    const sent = payloads(200);
    const bytes: Uint8Array[] = [];
    const writer = new FrameWriter(
      new WritableStream({ write: (chunk) => void bytes.push(chunk) }),
    );
    for (const payload of sent) writer.write(payload);
    await writer.flush();
    using handle = await Deno.open(file, { write: true });
    for (const chunk of bytes) await handle.write(chunk);
    const quoted = [Deno.execPath(), ...DENO_ARGS, "1"].map((arg) => `'${arg}'`).join(" ");
    // 200 frames of up to 700 bytes take more reads than the switch threshold of 1.
    const output = await new Deno.Command("sh", {
      args: ["-c", `exec ${quoted} < '${file}'`],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(output.stderr);
    assert.equal(output.code, 0, text);
    const report = JSON.parse(text.trim().split("\n").at(-1)!) as Report;
    assert.equal(report.onSocket, false);
    assert.equal(report.refused, "stdin is not a pipe or socket");
    const got: Uint8Array[] = [];
    for await (const payload of new FrameReader(ReadableStream.from([output.stdout]))) {
      got.push(payload);
    }
    assert.deepEqual(got, sent);
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("StdinSource constants: a busy host switches, a Launcher's heartbeats alone never do", () => {
  // Heartbeats come every few seconds: far below the rate that makes the move pay.
  assert.ok(STDIN_SOCKET_READS / (STDIN_SOCKET_WINDOW_MS / 1000) >= 10);
  // A pipelined Launcher at 10 000 requests/s reads hundreds of times a second.
  assert.ok(STDIN_SOCKET_READS <= 256);
  // Pausing must leave room for the largest default frame (5 MiB) to be read in one go
  // through the reader's own array, and stay a bounded amount of memory.
  assert.ok(STDIN_SOCKET_PAUSE_BYTES >= 1024 * 1024);
  assert.ok(STDIN_SOCKET_PAUSE_BYTES <= 64 * 1024 * 1024);
});
