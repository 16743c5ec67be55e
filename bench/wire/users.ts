import { treeCpuSeconds } from "./cpu.ts";
import { type Figure, percentile, requireBuilt } from "./figure.ts";
import { denoRun, request, ROOT, startHost } from "./host.ts";
import { poolConfig, runnerRss, smapsTotals, waitForExit } from "./runners.ts";

/** How many users arrive at once, per round; `LAUNCHBOX_BENCH_USERS=50` for one round. */
const SIZES = (Deno.env.get("LAUNCHBOX_BENCH_USERS") ?? "50,200").split(",").map(Number);
const PLUGINS_DIR = `${ROOT}bench/fixtures/plugins`;

/**
 * N new users arriving at once at a `session`-isolated plugin (one runner each, run as the
 * host's user): every user's first SubmitJob sent together (cold: each starts a runner),
 * then every user's second (warm, right after), and a third once the runners have been idle
 * for 2 s, latency p50/p99 of each burst, the host tree's CPU per
 * cold user, and PSS per idle runner once they settle. Beside them, the floor on the same
 * run: N bare `deno run` processes started at once (spawn → exit) and PSS per idle one.
 */
export async function usersAtOnce(): Promise<Figure[]> {
  requireBuilt("sandbox runner processes", [`${ROOT}src/sandbox/runner_main.ts`]);
  const figures: Figure[] = [];
  for (const size of SIZES) {
    figures.push(...await burst(size).catch((error: Error) => [notMeasured(size, error)]));
    figures.push(...await floor(size));
  }
  return figures;
}

async function burst(size: number): Promise<Figure[]> {
  const host = await startHost({
    plugin: "idle_session",
    pluginsDir: PLUGINS_DIR,
    config: poolConfig(),
  });
  let pids: number[] = [];
  try {
    await host.client.bootstrap();
    const users = Array.from({ length: size }, (_, i) => `burst${size}u${i}`);
    const cpuBefore = await treeCpuSeconds(host.child.pid);
    const cold = await submitAll(host, users);
    const cpu = (await treeCpuSeconds(host.child.pid)) - cpuBefore;
    const warm = await submitAll(host, users);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const settled = await submitAll(host, users);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const runners = await runnerRss(host.child.pid);
    pids = runners.pids;
    if (runners.count !== size) throw new Error(`${runners.count} runners for ${size} users`);
    const shares = await smapsTotals(runners.pids);
    const label = `${size} new users at once, session isolation`;
    return [
      {
        name: `${label}: first submit p50 (cold: a runner each)`,
        value: percentile(cold, 50),
        unit: "ms",
      },
      {
        name: `${label}: first submit p99`,
        value: percentile(cold, 99),
        unit: "ms",
        ...(size === 50 ? { budget: { op: "<=" as const, value: 300 } } : {}),
      },
      { name: `${label}: second submit p50 (warm)`, value: percentile(warm, 50), unit: "ms" },
      {
        name: `${label}: second submit p99`,
        value: percentile(warm, 99),
        unit: "ms",
        budget: { op: "<=", value: 10 },
      },
      {
        name: `${label}: third submit p50 (runners idle for 2 s first)`,
        value: percentile(settled, 50),
        unit: "ms",
      },
      { name: `${label}: third submit p99`, value: percentile(settled, 99), unit: "ms" },
      {
        name: `${label}: host CPU per new user (user + system, host and runners)`,
        value: (cpu / size) * 1e3,
        unit: "ms",
      },
      {
        name: `${label}: PSS per idle runner`,
        value: shares.pss / size / 1024,
        unit: "MiB PSS",
        budget: { op: "<=", value: 10 },
        note: `USS ${(shares.private / size / 1024).toFixed(1)} MiB`,
      },
    ];
  } finally {
    await host.stop();
    await waitForExit(pids, 30_000);
  }
}

type Host = Awaited<ReturnType<typeof startHost>>;

/** One SubmitJob per user, all sent at once; each one's latency (ms). */
async function submitAll(host: Host, users: string[]): Promise<number[]> {
  return await Promise.all(users.map(async (user) => {
    const at = performance.now();
    const reply = await host.client.request(
      request(host.client, 2, user, { job: { command: "true" } }),
    );
    if (reply.messageType !== 2) {
      throw new Error(`Submit for ${user} failed: ${reply.errorMessage}`);
    }
    return performance.now() - at;
  }));
}

/** N bare `deno run` processes at once: spawn → exit p50/p99, and PSS of N idle ones. */
async function floor(size: number): Promise<Figure[]> {
  const empty = denoRun(`${ROOT}bench/fixtures/empty.ts`, []);
  const exits = await Promise.all(Array.from({ length: size }, async () => {
    const at = performance.now();
    await new Deno.Command(empty.command, { args: empty.args, stdout: "null", stderr: "null" })
      .output();
    return performance.now() - at;
  }));
  const echo = await echoAtOnce(size);
  const idle = await idlePss(size, `${ROOT}bench/fixtures/idle.ts`);
  const withWorker = await idlePss(size, `${ROOT}bench/fixtures/idle_worker.ts`);
  const label = `floor: ${size} bare \`deno run\` at once`;
  return [
    { name: `${label}, spawn → exit p50`, value: percentile(exits, 50), unit: "ms" },
    { name: `${label}, spawn → exit p99`, value: percentile(exits, 99), unit: "ms" },
    {
      name: `floor: ${size} idle bare \`deno run\` with a Worker, one message each at once, p50`,
      value: percentile(echo, 50),
      unit: "ms",
      note:
        "stdin → Worker → stdout, the second message; what a warm submit to new runners costs at least",
    },
    {
      name: `floor: ${size} idle bare \`deno run\` with a Worker, one message each at once, p99`,
      value: percentile(echo, 99),
      unit: "ms",
    },
    {
      name: `floor: PSS per idle bare \`deno run\`, ${size} of them`,
      value: idle,
      unit: "MiB PSS",
    },
    {
      name: `floor: PSS per idle bare \`deno run\` holding one idle Worker, ${size} of them`,
      value: withWorker,
      unit: "MiB PSS",
      note: "a runner holds its plugin in one Worker",
    },
  ];
}

/**
 * `size` processes of `bench/fixtures/echo_worker.ts`: one message each to warm them, 2 s
 * idle, then one more to every one at once; each second message's round trip (ms).
 */
async function echoAtOnce(size: number): Promise<number[]> {
  const echo = denoRun(`${ROOT}bench/fixtures/echo_worker.ts`, []);
  const children = Array.from(
    { length: size },
    () =>
      new Deno.Command(echo.command, {
        args: echo.args,
        stdin: "piped",
        stdout: "piped",
        stderr: "null",
      }).spawn(),
  );
  const writers = children.map((child) => child.stdin.getWriter());
  const readers = children.map((child) => child.stdout.getReader());
  const message = new TextEncoder().encode('{"messageType":2,"job":{"command":"true"}}');
  const roundTrip = async (i: number) => {
    const at = performance.now();
    await writers[i]!.write(message);
    if ((await readers[i]!.read()).done) throw new Error("An echo process ended early");
    return performance.now() - at;
  };
  try {
    await Promise.all(children.map((_, i) => roundTrip(i)));
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    return await Promise.all(children.map((_, i) => roundTrip(i)));
  } finally {
    await Promise.all(writers.map((writer) => writer.close().catch(() => {})));
    await Promise.all(readers.map((reader) => reader.cancel().catch(() => {})));
    await Promise.all(children.map((child) => child.status));
  }
}

/** PSS per process, in MiB, of `size` idle processes of `script` after they settle. */
async function idlePss(size: number, script: string): Promise<number> {
  const idle = denoRun(script, []);
  const children = Array.from(
    { length: size },
    () =>
      new Deno.Command(idle.command, { args: idle.args, stdin: "piped", stderr: "null" }).spawn(),
  );
  try {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const shares = await smapsTotals(children.map((child) => child.pid));
    return shares.pss / size / 1024;
  } finally {
    for (const child of children) await child.stdin.close().catch(() => {});
    await Promise.all(children.map((child) => child.status));
  }
}

function notMeasured(size: number, error: Error): Figure {
  return {
    name: `${size} new users at once, session isolation`,
    value: undefined,
    unit: "",
    note: `not measured: ${error.message}`,
  };
}
