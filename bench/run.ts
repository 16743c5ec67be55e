// deno-lint-ignore-file no-console
/**
 * `make bench`: runs the wire-level drivers and the deno bench files, prints one table with
 * each figure beside its budget, and writes BENCHMARKS.md.
 *
 * `deno run <ceiling flags> --config deno.json bench/run.ts [name…]` runs only the named
 * drivers (spawn, getjob, fanout, submit, runners, users, mixed, getjobs, restart, airflow,
 * pipe, cluster, micro) and prints their
 * table without writing BENCHMARKS.md. With `LAUNCHBOX_BENCH_CPU_PROF=<dir>` every host
 * the drivers start writes a V8 CPU profile there.
 */
import { benchmarksMarkdown, describeMachine, loadAverage, renderTable } from "./_report.ts";
import { airflowRuntime } from "./wire/airflow.ts";
import { clusterFigures } from "./wire/cluster.ts";
import { statusFanout } from "./wire/fanout.ts";
import type { Figure } from "./wire/figure.ts";
import { pipelinedGetJob } from "./wire/get_job.ts";
import { wireGetJobs } from "./wire/get_jobs.ts";
import { hostCommand, ROOT } from "./wire/host.ts";
import { mixedLoad } from "./wire/mixed.ts";
import { pipeThroughput } from "./wire/pipe.ts";
import { restartOnLargeStore } from "./wire/restart.ts";
import { runnerInstances } from "./wire/runners.ts";
import { spawnBootstrap } from "./wire/spawn_bootstrap.ts";
import { submitThroughput } from "./wire/submit.ts";
import { usersAtOnce } from "./wire/users.ts";

const FLAGS = Deno.readTextFileSync(`${ROOT}bin/ceiling.flags`).split("\n").filter(Boolean);
const BENCH_FILES = [
  "bench/framing_bench.ts",
  "bench/codec_bench.ts",
  "bench/job_store_bench.ts",
  "bench/reachability_bench.ts",
];
const BENCH_ARGS = ["bench", ...FLAGS, "--json", "--config", "deno.json", ...BENCH_FILES];

type Budget = Figure["budget"];
/** Each driver, and the budget its headline figure is held against (shown if it fails). */
const DRIVERS: [string, string, () => Promise<Figure[]>, Budget?][] = [
  ["spawn", "spawn → Bootstrap", spawnBootstrap, { op: "<=", value: 25 }],
  ["getjob", "pipelined GetJob", pipelinedGetJob, { op: ">=", value: 50_000 }],
  ["fanout", "status fan-out", statusFanout, { op: "<=", value: 50 }],
  ["submit", "submit throughput", submitThroughput],
  ["runners", "runner instances", runnerInstances, { op: "<=", value: 100 }],
  ["users", "new users at once", usersAtOnce, { op: "<=", value: 300 }],
  ["mixed", "sustained mixed load", mixedLoad],
  ["getjobs", "GetJobs with 100 000 jobs", wireGetJobs, { op: "<=", value: 50 }],
  ["restart", "restart on a large store", restartOnLargeStore, { op: "<=", value: 1000 }],
  ["airflow", "Airflow runtime", airflowRuntime, { op: "<=", value: 90 }],
  ["pipe", "pipe throughput", pipeThroughput, { op: ">=", value: 50 }],
  // Skipped, with the reason, when the private PostgreSQL (scripts/postgres-up) is absent.
  ["cluster", "three hosts on one PostgreSQL", clusterFigures, { op: "<=", value: 50 }],
  ["micro", "deno bench files", microBenchmarks],
];

const chosen = Deno.args.length > 0 ? Deno.args : DRIVERS.map(([key]) => key);
const unknown = chosen.filter((key) => !DRIVERS.some(([k]) => k === key));
if (unknown.length > 0) {
  console.error(
    `Unknown driver ${unknown.join(", ")}; known: ${DRIVERS.map(([k]) => k).join(", ")}`,
  );
  Deno.exit(2);
}

const started = new Date();
const loadBefore = await loadAverage();
const figures: Figure[] = [];
for (const [key, label, driver, budget] of DRIVERS) {
  if (!chosen.includes(key)) continue;
  console.error(`bench: ${label}…`);
  figures.push(...await measured(label, driver, budget));
}
const table = renderTable(figures);
console.log(table);
if (Deno.args.length === 0) {
  await Deno.writeTextFile(
    `${ROOT}BENCHMARKS.md`,
    benchmarksMarkdown({
      when: started,
      machine: await describeMachine(loadBefore),
      commands: commands(),
      table,
      findings: await Deno.readTextFile(`${ROOT}bench/findings.md`),
    }),
  );
  // `make check` runs `deno fmt --check` over the checkout, BENCHMARKS.md included.
  await new Deno.Command(Deno.execPath(), {
    args: ["fmt", "BENCHMARKS.md"],
    cwd: ROOT,
    stderr: "null",
  })
    .output();
  console.error("bench: wrote BENCHMARKS.md");
}

/** A driver's figures; one that fails becomes a row saying why, and the run goes on. */
async function measured(
  label: string,
  driver: () => Promise<Figure[]>,
  budget: Budget,
): Promise<Figure[]> {
  try {
    return await driver();
  } catch (error) {
    console.error(`bench: ${label} not measured:`, error);
    return [{
      name: label,
      value: undefined,
      unit: "",
      ...(budget ? { budget } : {}),
      note: `not measured: ${(error as Error).message}`,
    }];
  }
}

/** Runs `deno bench --json` and turns each result into a figure (mean time per iteration). */
async function microBenchmarks(): Promise<Figure[]> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: BENCH_ARGS,
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) {
    throw new Error(`deno bench failed: ${new TextDecoder().decode(output.stderr).slice(-400)}`);
  }
  const report = JSON.parse(new TextDecoder().decode(output.stdout)) as {
    benches: { name: string; results: { ok?: { avg: number } }[] }[];
  };
  return report.benches.map((bench) => {
    const avgMs = (bench.results[0]?.ok?.avg ?? NaN) / 1e6;
    const tagFilter = bench.name === "JobStore.list, 100k jobs, one tag matching 1 000";
    return {
      name: bench.name,
      value: Number.isNaN(avgMs) ? undefined : avgMs,
      unit: "ms/iter",
      ...(tagFilter ? { budget: { op: "<=" as const, value: 50 } } : {}),
    };
  });
}

/** The exact command lines behind the figures, relative to the checkout. */
function commands(): string[] {
  const relative = (args: string[]) =>
    args.map((arg) => arg.replaceAll(ROOT, "")).join(" ").replaceAll(`${Deno.execPath()} `, "");
  const host = hostCommand([
    "--heartbeat-interval-seconds=0",
    "--plugin-name=inmemory",
    "--scratch-path=$SCRATCH",
    "--logging-dir=$SCRATCH/log",
    "--config-file=$SCRATCH/launcher.inmemory.conf",
  ]);
  return [
    "make bench   # runs:",
    `deno run ${FLAGS.join(" ")} --config deno.json bench/run.ts`,
    "# each Launcher-mode host a driver starts (plugin, plugins dir and config vary by driver):",
    `deno ${relative(host.args)}`,
    "# the micro-benchmarks:",
    `deno ${BENCH_ARGS.join(" ")}`,
  ];
}
