import { FrameReader } from "../../src/framing/mod.ts";
import type { Figure } from "./figure.ts";
import { denoRun, ROOT } from "./host.ts";

const FRAMES = 4_000;
const FRAME_BYTES = 64 * 1024;

/**
 * 64 KiB frames through a pipe (FrameWriter in a child → FrameReader here) against the
 * same number of bytes through `cat` in the same run, so machine noise cancels.
 */
export async function pipeThroughput(): Promise<Figure[]> {
  let framed = 0;
  let raw = 0;
  for (let i = 0; i < 5; i++) {
    framed = Math.max(framed, await framedRun());
    raw = Math.max(raw, await rawRun());
  }
  return [
    { name: "64 KiB frames through a pipe", value: framed, unit: "MB/s" },
    { name: "raw pipe (cat), same bytes", value: raw, unit: "MB/s" },
    {
      name: "64 KiB frames vs raw pipe",
      value: (framed / raw) * 100,
      unit: "%",
      budget: { op: ">=", value: 50 },
    },
  ];
}

async function framedRun(): Promise<number> {
  const { command, args } = denoRun(`${ROOT}bench/wire/_pipe_writer.ts`, [String(FRAMES)]);
  const child = new Deno.Command(command, {
    args,
    stdout: "piped",
  }).spawn();
  const reader = new FrameReader(child.stdout, { maxFrameBytes: FRAME_BYTES });
  let bytes = 0;
  let started = 0;
  for await (const frame of reader) {
    if (started === 0) started = performance.now();
    bytes += frame.length + 4;
  }
  const seconds = (performance.now() - started) / 1000;
  await child.status;
  if (bytes !== FRAMES * (FRAME_BYTES + 4)) throw new Error(`Read ${bytes} bytes`);
  return bytes / seconds / 1e6;
}

async function rawRun(): Promise<number> {
  const file = await Deno.makeTempFile();
  await Deno.writeFile(file, new Uint8Array(FRAMES * (FRAME_BYTES + 4)).fill(7));
  const child = new Deno.Command("cat", { args: [file], stdout: "piped" }).spawn();
  let bytes = 0;
  let started = 0;
  for await (const chunk of child.stdout) {
    if (started === 0) started = performance.now();
    bytes += chunk.length;
  }
  const seconds = (performance.now() - started) / 1000;
  await child.status;
  await Deno.remove(file);
  return bytes / seconds / 1e6;
}
