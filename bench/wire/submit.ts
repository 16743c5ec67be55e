import { type Figure, requireBuilt } from "./figure.ts";
import { request, ROOT, startHost } from "./host.ts";

/** Submits per second with 16 in flight: inmemory (simulated) and local (real processes). */
export async function submitThroughput(): Promise<Figure[]> {
  const figures = [await measure("inmemory", 2_000, ["pending-ms=60000"])];
  try {
    requireBuilt("the local plugin", [`${ROOT}plugins/local/mod.ts`]);
    figures.push(await measure("local", 300, []));
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

async function measure(plugin: string, total: number, config: string[]): Promise<Figure> {
  const host = await startHost({ plugin, config });
  try {
    await host.client.bootstrap();
    const user = plugin === "local" ? "root" : "alice";
    let sent = 0;
    const started = performance.now();
    const lane = async () => {
      while (sent < total) {
        sent++;
        const reply = await host.client.request(
          request(host.client, 2, user, { job: { command: "true" } }),
        );
        if (reply.messageType !== 2) throw new Error(`Submit failed: ${reply.errorMessage}`);
      }
    };
    await Promise.all(Array.from({ length: 16 }, lane));
    const rate = Math.round(total / ((performance.now() - started) / 1000));
    return {
      name: `submit throughput, ${plugin}`,
      value: rate,
      unit: "jobs/s",
      note: `${total} jobs, 16 in flight`,
    };
  } finally {
    await host.stop();
  }
}
