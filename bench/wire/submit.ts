import { treeCpuSeconds } from "./cpu.ts";
import { type Figure, percentile, requireBuilt } from "./figure.ts";
import { request, ROOT, startHost } from "./host.ts";

const WINDOW = 64;

/**
 * Pipelined SubmitJob (64 in flight, as the Launcher-side driver): inmemory
 * (simulated) and local (real processes). Beside the rate: p50 latency and the host's CPU
 * per submit (user + system over the host and its runners).
 */
export async function submitThroughput(): Promise<Figure[]> {
  const figures = await measure("inmemory", 5_000, ["pending-ms=60000"]);
  try {
    requireBuilt("the local plugin", [`${ROOT}plugins/local/mod.ts`]);
    figures.push(...await measure("local", 500, []));
  } catch (error) {
    figures.push({
      name: "submit throughput, local",
      value: undefined,
      unit: "",
      note: `not measured: ${(error as Error).message}`,
    });
  }
  return figures;
}

async function measure(plugin: string, total: number, config: string[]): Promise<Figure[]> {
  const host = await startHost({ plugin, config });
  try {
    await host.client.bootstrap();
    const user = plugin === "local" ? "root" : "alice";
    await submitMany(host, user, WINDOW); // starts the instance
    const cpuBefore = await treeCpuSeconds(host.child.pid);
    const started = performance.now();
    const latencies = await submitMany(host, user, total);
    const seconds = (performance.now() - started) / 1000;
    const cpu = (await treeCpuSeconds(host.child.pid)) - cpuBefore;
    const label = `pipelined SubmitJob, ${plugin} (window ${WINDOW})`;
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
    await host.stop();
  }
}

type Host = Awaited<ReturnType<typeof startHost>>;

async function submitMany(host: Host, user: string, total: number): Promise<number[]> {
  let sent = 0;
  const latencies: number[] = [];
  const lane = async () => {
    while (sent < total) {
      sent++;
      const at = performance.now();
      const reply = await host.client.request(
        request(host.client, 2, user, { job: { command: "true" } }),
      );
      if (reply.messageType !== 2) throw new Error(`Submit failed: ${reply.errorMessage}`);
      latencies.push(performance.now() - at);
    }
  };
  await Promise.all(Array.from({ length: WINDOW }, lane));
  return latencies;
}
