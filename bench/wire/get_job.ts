import { FrameReader, FrameWriter } from "../../src/framing/mod.ts";
import { type Figure, percentile } from "./figure.ts";
import { hostCommand } from "./host.ts";

const TOTAL = 60_000;
const WINDOW = 64;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Pipelined GetJob round trips with 64 in flight, inmemory plugin. The driver is kept
 * lean so it measures the host, as an external driver in C++ or Go would: requests are a
 * byte template with the ID spliced in, and replies are matched by their `requestId`
 * without parsing the whole message.
 */
export async function pipelinedGetJob(): Promise<Figure[]> {
  const scratch = await Deno.makeTempDir({ prefix: "launchbox-bench-" });
  const { command, args } = hostCommand([
    "--heartbeat-interval-seconds=0",
    "--plugin-name=inmemory",
    `--scratch-path=${scratch}`,
    `--logging-dir=${scratch}/log`,
  ]);
  const child = new Deno.Command(command, { args, stdin: "piped", stdout: "piped", stderr: "null" })
    .spawn();
  const writer = new FrameWriter(child.stdin);
  const reader = new FrameReader(child.stdout);
  try {
    const send = (text: string) => writer.write(encoder.encode(text));
    send('{"messageType":1,"requestId":0,"version":{"major":3,"minor":6,"patch":0}}');
    await reader.read();
    send(
      '{"messageType":2,"requestId":1,"username":"alice","requestUsername":"alice","job":{"command":"x"}}',
    );
    const jobId = /"id":"([^"]+)"/.exec(decoder.decode((await reader.read())!))![1]!;
    return await measure(send, reader, jobId);
  } finally {
    await writer.close().catch(() => {});
    await reader.cancel();
    child.kill("SIGKILL");
    await child.status;
    await Deno.remove(scratch, { recursive: true }).catch(() => {});
  }
}

async function measure(
  send: (text: string) => void,
  reader: FrameReader,
  jobId: string,
): Promise<Figure[]> {
  const head = '{"messageType":3,"requestId":';
  const tail =
    `,"username":"alice","requestUsername":"alice","jobId":"${jobId}","encodedJobId":""}`;
  const sentAt = new Float64Array(TOTAL + 100);
  const latencies: number[] = [];
  let next = 100;
  const launch = () => {
    sentAt[next] = performance.now();
    send(head + next + tail);
    next++;
  };
  const started = performance.now();
  for (let i = 0; i < WINDOW; i++) launch();
  while (latencies.length < TOTAL) {
    const frame = (await reader.read())!;
    const text = decoder.decode(frame.subarray(0, 48));
    if (!text.startsWith('{"messageType":2,')) {
      throw new Error(`Unexpected reply ${decoder.decode(frame)}`);
    }
    const id = Number(/"requestId":(\d+)/.exec(text)![1]);
    latencies.push(performance.now() - sentAt[id]!);
    if (next < TOTAL + 100) launch();
  }
  const seconds = (performance.now() - started) / 1000;
  return [
    {
      name: "pipelined GetJob round trips (window 64)",
      value: Math.round(TOTAL / seconds),
      unit: "/s",
      budget: { op: ">=", value: 50_000 },
    },
    { name: "pipelined GetJob latency p50", value: percentile(latencies, 50), unit: "ms" },
    { name: "pipelined GetJob latency p99", value: percentile(latencies, 99), unit: "ms" },
  ];
}
