import { type Figure, median } from "./figure.ts";
import { denoRun, ROOT, startHost } from "./host.ts";

const RUNS = 15;

/**
 * Spawn → Bootstrap response, `deno run`, inmemory plugin: median of 15 fresh hosts. In the
 * same run, interleaved, a bare `deno run` of an empty script with the same flags (spawn →
 * exit): the original design's anchor for it is about 20 ms, so the gap shows how busy the machine was.
 */
export async function spawnBootstrap(): Promise<Figure[]> {
  const hosts: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    bare.push(await bareDenoRun());
    const host = await startHost();
    const reply = await host.client.bootstrap();
    if (reply.messageType !== 1) throw new Error(`Bootstrap failed: ${reply.errorMessage}`);
    hosts.push(performance.now() - host.started);
    await host.stop();
  }
  return [
    {
      name: "spawn → Bootstrap response (deno run)",
      value: median(hosts),
      unit: "ms",
      budget: { op: "<=", value: 25 },
    },
    {
      name: "bare `deno run` of an empty script, same flags, same run",
      value: median(bare),
      unit: "ms",
      note: "spawn → exit",
    },
    {
      name: "spawn → Bootstrap beyond the bare `deno run` (what Launchbox itself adds)",
      value: median(hosts) - median(bare),
      unit: "ms",
      note: "moves less with the machine's speed than either figure",
    },
  ];
}

async function bareDenoRun(): Promise<number> {
  const { command, args } = denoRun(`${ROOT}bench/fixtures/empty.ts`, []);
  const started = performance.now();
  const status = await new Deno.Command(command, { args, stdout: "null", stderr: "null" })
    .output();
  if (!status.success) throw new Error(`deno run of an empty script exited ${status.code}`);
  return performance.now() - started;
}
