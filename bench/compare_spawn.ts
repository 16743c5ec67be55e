// deno-lint-ignore-file no-console
/**
 * Spawn → Bootstrap of Launcher hosts from several checkouts, alternately in one session,
 * beside a bare `deno run` of an empty script: old and new commits measured under the same
 * load. Also the host's CPU (all threads, from /proc/<pid>/task/<tid>/schedstat) when the
 * answer arrives, which other processes move less than wall time.
 *
 *   deno run -A bench/compare_spawn.ts /path/to/old-checkout /path/to/new-checkout
 *
 * `RUNS=<n>` hosts per checkout (default 15).
 *
 * @module
 */
import { LauncherClient } from "../src/launcher/launcher_client.ts";
import { median } from "./wire/figure.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const FLAGS = Deno.readTextFileSync(`${ROOT}bin/ceiling.flags`).split("\n").filter(Boolean);
const RUNS = Number(Deno.env.get("RUNS") ?? 15);
const checkouts = Deno.args.length > 0 ? Deno.args : [ROOT];

/** Wall time to the Bootstrap answer (ms) and the host's CPU by then (ms). */
async function spawnHost(checkout: string): Promise<{ wall: number; cpu: number }> {
  const scratch = await Deno.makeTempDir({ prefix: "launchbox-compare-" });
  await Deno.writeTextFile(`${scratch}/launcher.inmemory.conf`, "\n");
  const args = ["run", ...FLAGS, "--config", `${checkout}/deno.json`, `${checkout}/main.ts`];
  args.push("--heartbeat-interval-seconds=0", "--plugin-name=inmemory");
  args.push(`--scratch-path=${scratch}`, `--logging-dir=${scratch}/log`);
  args.push(`--config-file=${scratch}/launcher.inmemory.conf`);
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args,
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const client = new LauncherClient(child.stdout, child.stdin);
  const reply = await client.bootstrap();
  const wall = performance.now() - started;
  const cpu = cpuMs(child.pid);
  await client.close();
  await child.status;
  await Deno.remove(scratch, { recursive: true });
  if (reply.messageType !== 1) throw new Error(`Bootstrap failed in ${checkout}`);
  return { wall, cpu };
}

function cpuMs(pid: number): number {
  let total = 0;
  for (const task of Deno.readDirSync(`/proc/${pid}/task`)) {
    try {
      const text = Deno.readTextFileSync(`/proc/${pid}/task/${task.name}/schedstat`);
      total += Number(text.split(" ")[0]) / 1e6;
    } catch {
      // the thread ended meanwhile
    }
  }
  return total;
}

async function bareDenoRun(): Promise<number> {
  const started = performance.now();
  const args = ["run", ...FLAGS, "--config", `${ROOT}deno.json`, `${ROOT}bench/fixtures/empty.ts`];
  await new Deno.Command(Deno.execPath(), { args, stdout: "null", stderr: "null" }).output();
  return performance.now() - started;
}

const bare: number[] = [];
const hosts = new Map<string, { wall: number[]; cpu: number[] }>(
  checkouts.map((checkout) => [checkout, { wall: [], cpu: [] }]),
);
for (let i = 0; i < RUNS; i++) {
  bare.push(await bareDenoRun());
  for (const checkout of checkouts) {
    const { wall, cpu } = await spawnHost(checkout);
    hosts.get(checkout)!.wall.push(wall);
    hosts.get(checkout)!.cpu.push(cpu);
  }
}
const load = Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
console.log(`bare deno run (spawn → exit): median ${median(bare).toFixed(1)} ms`);
for (const [checkout, { wall, cpu }] of hosts) {
  console.log(
    `${checkout}: spawn → Bootstrap median ${median(wall).toFixed(1)} ms, ` +
      `host CPU by then ${median(cpu).toFixed(1)} ms`,
  );
}
console.log(`load ${load}`);
