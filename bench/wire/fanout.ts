import { FrameReader, FrameWriter } from "../../src/framing/mod.ts";
import { decodeMessage, encodeMessage } from "../../src/launcher/codec.ts";
import { type Figure, percentile } from "./figure.ts";
import { hostCommand, ROOT } from "./host.ts";

const STREAMS = 1_000;
const JOBS = 100;
const UPDATES_PER_JOB = 100;

/**
 * 1 000 open status streams and 10 000 job updates; every update must reach every stream.
 * Latency is measured with updates paced at 1 000/s (each job every 100 ms), from the
 * plugin's timestamp to the message's arrival; a flood run gives the throughput.
 */
export async function statusFanout(): Promise<Figure[]> {
  const paced = await fanout(100);
  const flood = await fanout(0);
  return [
    { ...paced.p99, name: "status fan-out, 1 000 streams × 10 000 updates at 1 000/s, p99" },
    { ...paced.p50, name: "status fan-out at 1 000 updates/s, p50" },
    {
      name: "status fan-out flood: updates delivered to all 1 000 streams",
      value: flood.rate,
      unit: "updates/s",
      note: flood.note,
    },
  ];
}

interface Run {
  p99: Figure;
  p50: Figure;
  rate: number | undefined;
  note: string;
}

async function fanout(intervalMs: number): Promise<Run> {
  const scratch = await Deno.makeTempDir({ prefix: "launchbox-bench-" });
  await Deno.writeTextFile(
    `${scratch}/c.conf`,
    `updates=${UPDATES_PER_JOB}\ninterval-ms=${intervalMs}\n`,
  );
  const { command, args } = hostCommand([
    "--heartbeat-interval-seconds=0",
    "--plugin-name=churn",
    `--plugins-dir=${ROOT}bench/fixtures/plugins`,
    `--scratch-path=${scratch}`,
    `--logging-dir=${scratch}/log`,
    `--config-file=${scratch}/c.conf`,
  ]);
  const child = new Deno.Command(command, { args, stdin: "piped", stdout: "piped", stderr: "null" })
    .spawn();
  const writer = new FrameWriter(child.stdin);
  const reader = new FrameReader(child.stdout, { maxFrameBytes: 64 * 1024 * 1024 });
  const send = (message: Record<string, unknown>) => writer.write(encodeMessage(message));
  const user = { username: "alice", requestUsername: "alice" };
  send({ messageType: 1, requestId: 0, version: { major: 3, minor: 6, patch: 0 } });
  for (let id = 1; id <= STREAMS; id++) {
    send({ messageType: 4, requestId: id, ...user, jobId: "*", encodedJobId: "", cancel: false });
  }
  for (let j = 0; j < JOBS; j++) {
    send({ messageType: 2, requestId: 10_000 + j, ...user, job: { command: "x" } });
  }
  const perStream = new Map<number, number>();
  const latencies: number[] = [];
  const expected = JOBS * UPDATES_PER_JOB;
  const deadline = Date.now() + 180_000;
  let firstAt = 0;
  for await (const payload of reader) {
    const message = decodeMessage(payload);
    if (message.messageType !== 3 || !String(message.statusMessage ?? "").startsWith("t=")) {
      continue;
    }
    if (firstAt === 0) firstAt = performance.now();
    latencies.push(
      performance.timeOrigin + performance.now() - Number(String(message.statusMessage).slice(2)),
    );
    for (const { requestId } of message.sequences as { requestId: number }[]) {
      perStream.set(requestId, (perStream.get(requestId) ?? 0) + 1);
    }
    if (latencies.length >= expected || Date.now() > deadline) break;
  }
  const seconds = (performance.now() - firstAt) / 1000;
  await writer.close().catch(() => {});
  await reader.cancel();
  child.kill("SIGKILL");
  await child.status;
  await Deno.remove(scratch, { recursive: true }).catch(() => {});
  const complete = perStream.size === STREAMS &&
    [...perStream.values()].every((count) => count === expected);
  const note = complete
    ? `all ${expected} updates reached all ${STREAMS} streams`
    : `INCOMPLETE: ${latencies.length}/${expected} updates, ${perStream.size} streams`;
  const value = (p: number) => complete ? percentile(latencies, p) : undefined;
  return {
    p99: { name: "p99", value: value(99), unit: "ms", budget: { op: "<=", value: 50 }, note },
    p50: { name: "p50", value: value(50), unit: "ms" },
    rate: complete ? Math.round(expected / seconds) : undefined,
    note,
  };
}
