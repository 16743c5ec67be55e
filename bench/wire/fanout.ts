import process from "node:process";
import { FrameReader, FrameWriter } from "../../src/framing/mod.ts";
import { decodeMessage, encodeMessage } from "../../src/launcher/codec.ts";
import { treeCpuSeconds } from "./cpu.ts";
import { type Figure, percentile } from "./figure.ts";
import { hostCommand, ROOT, stopChild } from "./host.ts";

/**
 * `LAUNCHBOX_BENCH_FANOUT_STREAMS=1` measures the same chain (runner → host → Launcher) with
 * one stream: the floor the machine's load leaves, without the fan-out. The figures' names
 * keep saying 1 000; the notes say how many streams were open.
 */
const STREAMS = Number(Deno.env.get("LAUNCHBOX_BENCH_FANOUT_STREAMS") ?? 1_000);
const JOBS = 100;
const UPDATES_PER_JOB = 110;
const EXPECTED = JOBS * UPDATES_PER_JOB;
/** Updates sent in the first second (host and runner still compiling) are delivered and
 * counted but left out of the latency percentiles: about 1 000 of the 11 000. */
const WARM_UP_MS = 1_000;
const decoder = new TextDecoder();
const STATUS_PREFIX = new TextEncoder().encode('{"messageType":3,');
const OPEN_BRACE = 0x7b;
const CLOSE_BRACKET = 0x5d;

/**
 * 1 000 open status streams and 11 000 job updates; every update must reach every stream.
 * Latency is measured at 1 000 updates/s (100 jobs, each every 100 ms), from the plugin's
 * timestamp to the message's arrival: once with the jobs' schedules spread evenly over
 * the 100 ms (a steady rate: the budget's figure), once with all 100 jobs updating at the
 * same instant (bursts of 100 messages of 36 KB). The percentiles leave out the first
 * second, about 1 000 updates, and so cover the 10 000 after it. A flood run gives the
 * throughput.
 */
export async function statusFanout(): Promise<Figure[]> {
  const steady = await fanout(100, JOBS);
  const bursts = await fanout(100, 1);
  const flood = await fanout(0, 1);
  return [
    {
      name: "status fan-out, 1 000 streams × 10 000 updates at a steady 1 000/s, p99",
      value: steady.p99,
      unit: "ms",
      budget: { op: "<=", value: 50 },
      note: steady.note,
      ...(steady.p99 === undefined ? { failed: true } : {}),
    },
    { name: "status fan-out, steady 1 000 updates/s, p50", value: steady.p50, unit: "ms" },
    {
      name: "status fan-out, steady, host CPU per update (user + system, host and runner)",
      value: steady.cpuPerUpdate,
      unit: "µs",
    },
    {
      name: "status fan-out, steady, driver CPU per update (reading 1 000 streams' messages)",
      value: steady.driverCpuPerUpdate,
      unit: "µs",
    },
    {
      name: "status fan-out, bursts of 100 updates every 100 ms, p99",
      value: bursts.p99,
      unit: "ms",
      note: bursts.note,
    },
    {
      name: "status fan-out, bursts of 100 updates every 100 ms, p50",
      value: bursts.p50,
      unit: "ms",
    },
    {
      name: "status fan-out flood: updates delivered to all 1 000 streams",
      value: flood.rate,
      unit: "updates/s",
      note: flood.delivery,
    },
  ];
}

/** Latency percentiles (ms) and throughput of one run; `undefined` when not all arrived. */
interface Run {
  p99: number | undefined;
  p50: number | undefined;
  rate: number | undefined;
  /** CPU of the host and its runner per update after the first arrived, in µs. */
  cpuPerUpdate: number | undefined;
  /** The same for this driver, which competes with the host for the two cores. */
  driverCpuPerUpdate: number | undefined;
  note: string;
  /** Whether every update reached every stream, without the latency sample count. */
  delivery: string;
}

/** What the driver saw: latencies of the timed updates, and proof of delivery. */
interface Tally {
  /** Timed updates received, and the latencies of those sent after the warm-up. */
  received: number;
  latencies: number[];
  firstStamp: number;
  /** Status messages received, and how many of them listed every stream. */
  messages: number;
  full: number;
  last: Uint8Array | undefined;
  firstAt: number;
  lastAt: number;
  /** The host tree's CPU seconds when the first update arrived, and when the last did. */
  cpuAtFirst: Promise<number> | undefined;
  cpuAtLast: number;
  /** This process's CPU microseconds (user + system) between the first and the last update. */
  driverCpuMicros: number;
}

/** One run; `spread` jobs share out the interval (1: all jobs update at the same instant). */
async function fanout(intervalMs: number, spread: number): Promise<Run> {
  const scratch = await Deno.makeTempDir({ prefix: "launchbox-bench-" });
  await Deno.writeTextFile(
    `${scratch}/c.conf`,
    `updates=${UPDATES_PER_JOB}\ninterval-ms=${intervalMs}\njobs=${spread}\n`,
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
  let tally: Tally;
  try {
    openStreamsAndSubmit(writer);
    tally = await collect(reader, child.pid);
  } finally {
    await stopChild(child, async () => {
      await writer.close();
      await reader.cancel();
    });
    await Deno.remove(scratch, { recursive: true }).catch(() => {});
  }
  const cpuSeconds = tally.cpuAtLast - (await tally.cpuAtFirst ?? tally.cpuAtLast);
  return summarise(tally, cpuSeconds);
}

function openStreamsAndSubmit(writer: FrameWriter): void {
  const send = (message: Record<string, unknown>) => writer.write(encodeMessage(message));
  const user = { username: "alice", requestUsername: "alice" };
  send({ messageType: 1, requestId: 0, version: { major: 3, minor: 6, patch: 0 } });
  for (let id = 1; id <= STREAMS; id++) {
    send({ messageType: 4, requestId: id, ...user, jobId: "*", encodedJobId: "", cancel: false });
  }
  for (let j = 0; j < JOBS; j++) {
    send({ messageType: 2, requestId: 10_000 + j, ...user, job: { command: "x" } });
  }
}

/**
 * Reads until every timed update arrived, doing as little per message as a lean Launcher
 * would, so the driver does not compete with the host for the two cores: the arrival time
 * is taken first, the `statusMessage` is read from the message's tail, and the `sequences`
 * entries are counted, not parsed. The last message is parsed in full by `summarise`.
 */
async function collect(reader: FrameReader, pid: number): Promise<Tally> {
  const tally: Tally = {
    received: 0,
    latencies: [],
    firstStamp: 0,
    messages: 0,
    full: 0,
    last: undefined,
    firstAt: 0,
    lastAt: 0,
    cpuAtFirst: undefined,
    cpuAtLast: 0,
    driverCpuMicros: 0,
  };
  // A host that stops sending (a crashed plugin) must not hang the driver: the deadline
  // cancels the reader, which ends the loop with what arrived.
  let driverAtFirst: NodeJS.CpuUsage | undefined;
  const deadline = AbortSignal.timeout(120_000);
  deadline.addEventListener("abort", () => void reader.cancel(), { once: true });
  for await (const frame of reader) {
    const arrived = performance.timeOrigin + performance.now();
    if (!STATUS_PREFIX.every((byte, i) => frame[i] === byte)) continue;
    tally.messages++;
    const end = frame.lastIndexOf(CLOSE_BRACKET);
    if (countEntries(frame, end) === STREAMS) tally.full++;
    const stamp = /"statusMessage":"t=([\d.]+)"/.exec(decoder.decode(frame.subarray(end)));
    if (stamp) {
      const sent = Number(stamp[1]);
      if (tally.received++ === 0) {
        tally.firstAt = performance.now();
        tally.firstStamp = sent;
        tally.cpuAtFirst = treeCpuSeconds(pid);
        driverAtFirst = process.cpuUsage();
      }
      if (sent >= tally.firstStamp + WARM_UP_MS) tally.latencies.push(arrived - sent);
      tally.last = frame;
    }
    if (tally.received >= EXPECTED || deadline.aborted) break;
  }
  tally.lastAt = performance.now();
  const driver = process.cpuUsage(driverAtFirst);
  tally.driverCpuMicros = driver.user + driver.system;
  tally.cpuAtLast = await treeCpuSeconds(pid);
  return tally;
}

/** Objects in the `sequences` array, which ends at `end` (its entries hold no nesting). */
function countEntries(frame: Uint8Array, end: number): number {
  let count = -1; // the message's own opening brace
  for (
    let at = frame.indexOf(OPEN_BRACE);
    at !== -1 && at < end;
    at = frame.indexOf(OPEN_BRACE, at + 1)
  ) {
    count++;
  }
  return count;
}

/**
 * Every stream got every update when each status message listed all streams and, in the
 * last one, each of the 1 000 streams carries a `seqId` equal to the number of status
 * messages: the host numbers a stream's messages 1, 2, 3, … with no gaps.
 */
function summarise(tally: Tally, cpuSeconds: number): Run {
  const last = tally.last ? decodeMessage(tally.last) : { sequences: [] };
  const sequences = last.sequences as { requestId: number; seqId: number }[];
  const streams = new Set(sequences.map((s) => s.requestId));
  const complete = tally.received === EXPECTED && tally.full === tally.messages &&
    streams.size === STREAMS && sequences.every((s) => s.seqId === tally.messages);
  const delivery = complete
    ? `all ${EXPECTED} updates reached all ${STREAMS} streams`
    : `INCOMPLETE: ${tally.received}/${EXPECTED} updates, ${tally.full}/${tally.messages} ` +
      `messages to every stream, ${streams.size} streams in the last`;
  const note = complete
    ? `${delivery}; the ${tally.latencies.length} sent after the first ${WARM_UP_MS} ms timed`
    : delivery;
  const value = (p: number) => complete ? percentile(tally.latencies, p) : undefined;
  const seconds = (tally.lastAt - tally.firstAt) / 1000;
  return {
    p99: value(99),
    p50: value(50),
    rate: complete ? Math.round(EXPECTED / seconds) : undefined,
    cpuPerUpdate: complete ? Math.round((cpuSeconds * 1e6) / (EXPECTED - 1)) : undefined,
    driverCpuPerUpdate: complete ? Math.round(tally.driverCpuMicros / (EXPECTED - 1)) : undefined,
    note,
    delivery,
  };
}
