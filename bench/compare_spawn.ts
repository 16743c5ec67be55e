// deno-lint-ignore-file no-console
/**
 * Spawn → Bootstrap of Launcher hosts from several checkouts, alternately in one session,
 * beside a bare `deno run` of an empty script: old and new commits measured under the same
 * load. Also the host's CPU (all threads, from /proc/<pid>/task/<tid>/schedstat) and its
 * minor page faults (/proc/<pid>/stat) when the answer arrives: other processes move CPU
 * less than wall time, and the page-fault count not at all (memory touched; on this
 * machine's virtualisation each fault is expensive). The bare `deno run` reports its faults
 * at exit (getrusage of the child, via /usr/bin/time when present).
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

/** Wall time to the Bootstrap answer (ms), the host's CPU (ms) and page faults by then. */
async function spawnHost(checkout: string): Promise<{ wall: number; cpu: number; faults: number }> {
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
  const faults = minorFaults(child.pid);
  await client.close();
  await child.status;
  await Deno.remove(scratch, { recursive: true });
  if (reply.messageType !== 1) throw new Error(`Bootstrap failed in ${checkout}`);
  return { wall, cpu, faults };
}

/** Minor page faults of a process so far (all its threads), from /proc/<pid>/stat. */
function minorFaults(pid: number): number {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  // Fields after the command name (which may hold spaces) start at ") ": minflt is the 10th.
  return Number(stat.slice(stat.lastIndexOf(") ") + 2).split(" ")[7]);
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

/** A bare `deno run` of the empty script: wall time to exit, and its page faults. */
async function bareDenoRun(): Promise<{ wall: number; faults: number | undefined }> {
  const args = ["run", ...FLAGS, "--config", `${ROOT}deno.json`, `${ROOT}bench/fixtures/empty.ts`];
  const timed = TIME ? ["-f", "%R", Deno.execPath(), ...args] : args;
  const started = performance.now();
  const output = await new Deno.Command(TIME ?? Deno.execPath(), {
    args: timed,
    stdout: "null",
    stderr: "piped",
  }).output();
  const wall = performance.now() - started;
  const last = new TextDecoder().decode(output.stderr).trim().split("\n").at(-1);
  return { wall, faults: TIME ? Number(last) : undefined };
}

const TIME = await Deno.stat("/usr/bin/time").then(() => "/usr/bin/time", () => undefined);
const bare: number[] = [];
const bareFaults: number[] = [];
const hosts = new Map<string, { wall: number[]; cpu: number[]; faults: number[] }>(
  checkouts.map((checkout) => [checkout, { wall: [], cpu: [], faults: [] }]),
);
for (let i = 0; i < RUNS; i++) {
  const { wall, faults } = await bareDenoRun();
  bare.push(wall);
  if (faults !== undefined) bareFaults.push(faults);
  for (const checkout of checkouts) {
    const host = await spawnHost(checkout);
    hosts.get(checkout)!.wall.push(host.wall);
    hosts.get(checkout)!.cpu.push(host.cpu);
    hosts.get(checkout)!.faults.push(host.faults);
  }
}
const load = Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
const bareFaultText = bareFaults.length > 0 ? `, ${median(bareFaults)} minor page faults` : "";
console.log(`bare deno run (spawn → exit): median ${median(bare).toFixed(1)} ms${bareFaultText}`);
for (const [checkout, { wall, cpu, faults }] of hosts) {
  console.log(
    `${checkout}: spawn → Bootstrap median ${median(wall).toFixed(1)} ms, ` +
      `host CPU by then ${median(cpu).toFixed(1)} ms, minor page faults ${median(faults)}`,
  );
}
console.log(`load ${load}`);
