import { type Figure, median } from "./figure.ts";
import { startHost } from "./host.ts";

/** Spawn → Bootstrap response, `deno run`, inmemory plugin: median of 15 fresh hosts. */
export async function spawnBootstrap(): Promise<Figure[]> {
  const samples: number[] = [];
  for (let i = 0; i < 15; i++) {
    const host = await startHost();
    const reply = await host.client.bootstrap();
    if (reply.messageType !== 1) throw new Error(`Bootstrap failed: ${reply.errorMessage}`);
    samples.push(performance.now() - host.started);
    await host.stop();
  }
  return [{
    name: "spawn → Bootstrap response (deno run)",
    value: median(samples),
    unit: "ms",
    budget: { op: "<=", value: 60 },
  }];
}
