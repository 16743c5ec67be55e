import { FrameReader, FrameWriter } from "../../src/framing/mod.ts";
import { decodeMessage, encodeMessage } from "../../src/launcher/codec.ts";
import { type Figure, percentile } from "./figure.ts";
import { hostCommand, ROOT } from "./host.ts";

const STREAMS = 1_000;
const JOBS = 100;
const UPDATES_PER_JOB = 100;

/**
 * 1 000 open status streams and 10 000 job updates: every update must reach every stream;
 * delivery latency is measured from the plugin's timestamp to the message's arrival.
 */
export async function statusFanout(): Promise<Figure[]> {
  const scratch = await Deno.makeTempDir({ prefix: "launchbox-bench-" });
  await Deno.writeTextFile(`${scratch}/c.conf`, `updates=${UPDATES_PER_JOB}\n`);
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
  for await (const payload of reader) {
    const message = decodeMessage(payload);
    if (message.messageType !== 3 || !String(message.statusMessage ?? "").startsWith("t=")) {
      continue;
    }
    latencies.push(
      performance.timeOrigin + performance.now() - Number(String(message.statusMessage).slice(2)),
    );
    for (const { requestId } of message.sequences as { requestId: number }[]) {
      perStream.set(requestId, (perStream.get(requestId) ?? 0) + 1);
    }
    if (latencies.length >= expected || Date.now() > deadline) break;
  }
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
  const figures: Figure[] = [
    {
      name: "status fan-out, 1 000 streams × 10 000 updates, p99",
      value: percentile(latencies, 99),
      unit: "ms",
      budget: { op: "<=", value: 50 },
      note,
    },
    { name: "status fan-out delivery p50", value: percentile(latencies, 50), unit: "ms" },
  ];
  return complete ? figures : figures.map((figure) => ({ ...figure, value: undefined }));
}
