import { JobStore } from "../../src/host/job_store/mod.ts";
import { type Figure, median } from "./figure.ts";
import { startHost } from "./host.ts";

const SIZES = [10_000, 100_000];
const ROUNDS = 3;
const RECOVERED = "Plugin instance recovered its jobs";

/**
 * A host restarting on a store of 10 000 and of 100 000 live jobs (inmemory, all Running
 * and `long-running`, so every one is handed to the instance): spawn → Bootstrap response,
 * and spawn → the instance has recovered them all (the host logs it). Median of 3 restarts
 * on the same scratch directory; each host is stopped before the next starts.
 */
export async function restartOnLargeStore(): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const size of SIZES) {
    const scratch = await Deno.makeTempDir({ prefix: "launchbox-bench-restart-" });
    try {
      fillStore(`${scratch}/jobs.sqlite`, size);
      const bootstrap: number[] = [];
      const recovered: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const [boot, done] = await restartOnce(scratch, size);
        bootstrap.push(boot);
        recovered.push(done);
      }
      const jobs = size.toLocaleString("en-US").replaceAll(",", " ");
      figures.push(
        {
          name: `restart on a store of ${jobs} live jobs: spawn → Bootstrap response`,
          value: median(bootstrap),
          unit: "ms",
          budget: { op: "<=", value: 1000 },
          note: `median of ${ROUNDS}`,
        },
        {
          name: `restart on a store of ${jobs} live jobs: spawn → instance recovered them all`,
          value: median(recovered),
          unit: "ms",
          note: "the host logs the instance's recover; read from its log file",
        },
      );
    } finally {
      await Deno.remove(scratch, { recursive: true }).catch(() => {});
    }
  }
  return figures;
}

/** Spawn → Bootstrap response and spawn → recovered, in ms. */
async function restartOnce(scratch: string, size: number): Promise<[number, number]> {
  const logFile = `${scratch}/log/inmemory.log`;
  await Deno.remove(logFile).catch(() => {});
  const host = await startHost({ scratch, keepScratch: true });
  try {
    const reply = await host.client.bootstrap();
    if (reply.messageType !== 1) throw new Error(`Bootstrap failed: ${reply.errorMessage}`);
    const bootstrapped = performance.now() - host.started;
    const deadline = performance.now() + 120_000;
    while (!(await recoveredCount(logFile))) {
      if (performance.now() > deadline) throw new Error(`${size} jobs not recovered in 120 s`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const recovered = performance.now() - host.started;
    const count = await recoveredCount(logFile);
    if (count !== size) throw new Error(`The instance recovered ${count} jobs, not ${size}`);
    return [bootstrapped, recovered];
  } finally {
    await host.stop();
  }
}

/** How many jobs the log says the instance recovered (0 while it has not). */
async function recoveredCount(logFile: string): Promise<number> {
  const text = await Deno.readTextFile(logFile).catch(() => "");
  const line = text.split("\n").find((l) => l.includes(RECOVERED));
  return line ? Number(JSON.parse(line).jobs) : 0;
}

/** `size` Running jobs of 50 users, about 300 bytes each as stored. */
function fillStore(path: string, size: number): void {
  using store = JobStore.open(path, { expiryHours: 24 });
  const meta = { instanceKey: "shared", plugin: "inmemory" };
  for (let i = 0; i < size; i++) {
    store.insert({
      user: `user${i % 50}`,
      status: "Running",
      name: `restart bench job ${i}`,
      command: "/usr/bin/python3",
      args: ["-c", "import time; time.sleep(3600)"],
      tags: ["long-running", "bench"],
      environment: [{ name: "PATH", value: "/usr/local/bin:/usr/bin:/bin" }],
      queues: ["default"],
      host: "localhost",
    }, meta);
  }
}
