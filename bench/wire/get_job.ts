import { type Figure, percentile } from "./figure.ts";
import { request, startHost } from "./host.ts";

const TOTAL = 30_000;
const WINDOW = 64;

/** Pipelined GetJob round trips with 64 in flight, inmemory plugin (served from the host store). */
export async function pipelinedGetJob(): Promise<Figure[]> {
  const host = await startHost();
  try {
    await host.client.bootstrap();
    const submitted = await host.client.request(
      request(host.client, 2, "alice", { job: { command: "x" } }),
    );
    const jobId = (submitted.jobs as { id: string }[])[0]!.id;
    const latencies: number[] = [];
    let sent = 0;
    const started = performance.now();
    const lane = async () => {
      while (sent < TOTAL) {
        sent++;
        const t0 = performance.now();
        const reply = await host.client.request(
          request(host.client, 3, "alice", { jobId, encodedJobId: "" }),
        );
        if (reply.messageType !== 2) throw new Error("GetJob failed");
        latencies.push(performance.now() - t0);
      }
    };
    await Promise.all(Array.from({ length: WINDOW }, lane));
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
  } finally {
    await host.stop();
  }
}
