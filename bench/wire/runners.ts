import { type Figure, median, requireBuilt } from "./figure.ts";
import { request, ROOT, startHost } from "./host.ts";

/**
 * Runner instances of a session-isolated plugin: time from the first request of a new
 * user to its answer (a runner starts and loads the plugin), and RSS per idle runner at
 * 1, 10 and 100 sessions.
 */
export async function runnerInstances(): Promise<Figure[]> {
  requireBuilt("sandbox runner processes", [
    `${ROOT}src/sandbox/runner_main.ts`,
    `${ROOT}src/sandbox/remote_plugin.ts`,
  ]);
  const host = await startHost({
    plugin: "idle_session",
    pluginsDir: `${ROOT}bench/fixtures/plugins`,
    config: poolConfig(),
  });
  const figures: Figure[] = [];
  let runnerPids: number[] = [];
  try {
    await host.client.bootstrap();
    const starts: number[] = [];
    for (const target of [1, 10, 100]) {
      while (starts.length < target) {
        const t0 = performance.now();
        const reply = await host.client.request(request(host.client, 9, `user${starts.length}`));
        if (reply.messageType !== 8) throw new Error(`ClusterInfo failed: ${reply.errorMessage}`);
        starts.push(performance.now() - t0);
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const rss = await runnerRss(host.child.pid);
      runnerPids = rss.pids;
      const sessions = `${target} session${target === 1 ? "" : "s"}`;
      figures.push({
        name: `memory per idle session runner, ${sessions}`,
        value: rss.total / rss.count / 1024,
        unit: "MiB RSS",
        budget: { op: "<=", value: 40 },
        note: `${rss.count} runners`,
      });
      const shares = await smapsTotals(rss.pids);
      figures.push({
        name: `proportional memory (PSS) per idle runner, ${sessions}`,
        value: shares.pss / rss.count / 1024,
        unit: "MiB PSS",
        note: "shared pages of the deno binary counted once",
      });
      figures.push({
        name: `private memory (USS) per idle runner, ${sessions}`,
        value: shares.private / rss.count / 1024,
        unit: "MiB USS",
        note: "what one more session costs: pages no other process shares",
      });
    }
    figures.unshift({
      name: "runner instance start → first request served",
      value: median(starts),
      unit: "ms",
      budget: { op: "<=", value: 100 },
    });
  } finally {
    await host.stop();
    // 100 runners tear down after their host: let them finish before the next driver times.
    await waitForExit(runnerPids, 15_000);
  }
  return figures;
}

/**
 * Total RSS (KiB) of the host's runner children that serve an instance, and their pids.
 * The idle runners of the host's pool (`runner-pool-size`) are left out: they still work
 * in the scratch path, an instance's runner in its instance directory.
 */
export async function runnerRss(
  hostPid: number,
): Promise<{ total: number; count: number; pids: number[]; pooled: number }> {
  const out = await new Deno.Command("ps", {
    args: ["-o", "pid=,rss=,args=", "--ppid", String(hostPid)],
  }).output();
  const runners: { pid: number; rss: number }[] = [];
  for (const line of new TextDecoder().decode(out.stdout).split("\n")) {
    const [pid, rss, ...args] = line.trim().split(/\s+/);
    if (!args.join(" ").includes("runner")) continue;
    runners.push({ pid: Number(pid), rss: Number(rss) });
  }
  const serving = await servingInstances(runners.map((runner) => runner.pid));
  const kept = runners.filter((runner) => serving.has(runner.pid));
  const total = kept.reduce((sum, runner) => sum + runner.rss, 0);
  const pids = kept.map((runner) => runner.pid);
  return { total, count: pids.length, pids, pooled: runners.length - kept.length };
}

/** The pids whose working directory is an instance directory, asking `readlink`. */
async function servingInstances(pids: number[]): Promise<Set<number>> {
  if (pids.length === 0) return new Set();
  const out = await new Deno.Command("readlink", {
    args: pids.map((pid) => `/proc/${pid}/cwd`),
    stdout: "piped",
    stderr: "null",
  }).output();
  const cwds = new TextDecoder().decode(out.stdout).split("\n");
  // readlink prints nothing for a pid gone meanwhile, so match by order only when complete.
  if (cwds.filter(Boolean).length !== pids.length) {
    throw new Error(`Cannot read the working directories of runners ${pids.join(", ")}`);
  }
  return new Set(pids.filter((_, i) => cwds[i]!.includes("/instances/")));
}

/**
 * Summed PSS and private (clean + dirty) memory in KiB from /proc/<pid>/smaps_rollup, read
 * through cat (the bench may not read /proc).
 */
export async function smapsTotals(pids: number[]): Promise<{ pss: number; private: number }> {
  const files = pids.map((pid) => `/proc/${pid}/smaps_rollup`);
  const out = await new Deno.Command("cat", { args: files, stdout: "piped", stderr: "null" })
    .output();
  const text = new TextDecoder().decode(out.stdout);
  const sum = (pattern: RegExp) =>
    [...text.matchAll(pattern)].reduce((total, match) => total + Number(match[1]), 0);
  return { pss: sum(/^Pss:\s+(\d+) kB/gm), private: sum(/^Private_(?:Clean|Dirty):\s+(\d+) kB/gm) };
}

/** Waits (bounded) until none of `pids` is alive, asking `ps`: the bench may not read /proc. */
export async function waitForExit(pids: number[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (pids.length > 0 && Date.now() < deadline) {
    const out = await new Deno.Command("ps", { args: ["-o", "pid=", "-p", pids.join(",")] })
      .output();
    if (new TextDecoder().decode(out.stdout).trim() === "") return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * `LAUNCHBOX_BENCH_POOL=<n>` sets the hosts' `runner-pool-size` (idle runners started ahead
 * of need; 0 disables), to compare with and without; unset, the host's default.
 */
export function poolConfig(): string[] {
  const size = Deno.env.get("LAUNCHBOX_BENCH_POOL");
  return size === undefined ? [] : [`runner-pool-size=${size}`];
}
