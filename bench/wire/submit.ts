import { LauncherClient } from "../../src/launcher/launcher_client.ts";
import { treeCpuSeconds } from "./cpu.ts";
import { type Figure, percentile, requireBuilt } from "./figure.ts";
import { denoRun, request, ROOT, startHost } from "./host.ts";

const WINDOW = 64;

/** What the driver submits to: a Launchbox host, or the bare floor process. */
interface Target {
  client: LauncherClient;
  child: Deno.ChildProcess;
  stop(): Promise<void>;
}

/**
 * Pipelined SubmitJob (64 in flight, as the Launcher-side driver): inmemory
 * (simulated) and local (real processes). Beside the rate: p50 latency and the host's CPU
 * per submit (user + system over the host and its runners). Then the floor on this
 * runtime: a bare `deno run` answering SubmitJob with nothing of Launchbox, and the same
 * with an insert and an update per job in SQLite, answered after each commit
 * (`bench/fixtures/bare_submit.ts`).
 */
export async function submitThroughput(): Promise<Figure[]> {
  const inmemory = () => startHost({ plugin: "inmemory", config: ["pending-ms=60000"] });
  const figures = await measure("inmemory", 5_000, inmemory);
  try {
    requireBuilt("the local plugin", [`${ROOT}plugins/local/mod.ts`]);
    figures.push(...await measure("local", 500, () => startHost({ plugin: "local" }), "root"));
  } catch (error) {
    figures.push({
      name: "submit throughput, local",
      value: undefined,
      unit: "",
      note: `not measured: ${(error as Error).message}`,
    });
  }
  figures.push(...await measure("bare Deno floor, no store", 5_000, () => startBare(false)));
  figures.push(...await measure("bare Deno floor, SQLite", 5_000, () => startBare(true)));
  return figures;
}

async function measure(
  what: string,
  total: number,
  start: () => Promise<Target>,
  user = "alice",
): Promise<Figure[]> {
  const target = await start();
  try {
    await target.client.bootstrap();
    await submitMany(target, user, WINDOW); // starts the instance
    const cpuBefore = await treeCpuSeconds(target.child.pid);
    const started = performance.now();
    const latencies = await submitMany(target, user, total);
    const seconds = (performance.now() - started) / 1000;
    const cpu = (await treeCpuSeconds(target.child.pid)) - cpuBefore;
    const label = `pipelined SubmitJob, ${what} (window ${WINDOW})`;
    return [
      { name: label, value: Math.round(total / seconds), unit: "jobs/s", note: `${total} jobs` },
      { name: `${label}, p50 latency`, value: percentile(latencies, 50), unit: "ms" },
      {
        name: `${label}, host CPU per submit (user + system, host and runners)`,
        value: (cpu / total) * 1e6,
        unit: "µs",
      },
    ];
  } finally {
    await target.stop();
  }
}

/** The floor process (see `bench/fixtures/bare_submit.ts`), with a store when `durable`. */
async function startBare(durable: boolean): Promise<Target> {
  const scratch = await Deno.makeTempDir({ prefix: "launchbox-bench-bare-" });
  const store = durable ? [`--store=${scratch}/jobs.sqlite`] : [];
  const { command, args } = denoRun(`${ROOT}bench/fixtures/bare_submit.ts`, store);
  const child = new Deno.Command(command, { args, stdin: "piped", stdout: "piped" }).spawn();
  const client = new LauncherClient(child.stdout, child.stdin);
  return {
    client,
    child,
    async stop() {
      await client.close();
      await child.status;
      await Deno.remove(scratch, { recursive: true });
    },
  };
}

async function submitMany(target: Target, user: string, total: number): Promise<number[]> {
  let sent = 0;
  const latencies: number[] = [];
  const lane = async () => {
    while (sent < total) {
      sent++;
      const at = performance.now();
      const reply = await target.client.request(
        request(target.client, 2, user, { job: { command: "true" } }),
      );
      if (reply.messageType !== 2) throw new Error(`Submit failed: ${reply.errorMessage}`);
      latencies.push(performance.now() - at);
    }
  };
  await Promise.all(Array.from({ length: WINDOW }, lane));
  return latencies;
}
