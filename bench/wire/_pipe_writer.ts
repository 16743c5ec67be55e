// Writes N 64 KiB frames to stdout with the shared FrameWriter (the framed side of the pipe bench).
import { FrameWriter } from "../../src/framing/mod.ts";

const count = Number(Deno.args[0] ?? 2000);
const payload = new Uint8Array(64 * 1024).fill(7);
const writer = new FrameWriter(Deno.stdout);
for (let i = 0; i < count; i++) {
  writer.write(payload);
  if (i % 64 === 63) await writer.flush();
}
await writer.close();
