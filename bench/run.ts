// deno-lint-ignore-file no-console
/**
 * `make bench`: runs the deno bench files and the wire-level drivers, prints one table
 * with each figure beside its budget (DESIGN §10), and writes BENCHMARKS.md.
 */
import { airflowRuntime } from "./wire/airflow.ts";
import { statusFanout } from "./wire/fanout.ts";
import { type Figure, holds } from "./wire/figure.ts";
import { pipelinedGetJob } from "./wire/get_job.ts";
import { ROOT } from "./wire/host.ts";
import { pipeThroughput } from "./wire/pipe.ts";
import { runnerInstances } from "./wire/runners.ts";
import { spawnBootstrap } from "./wire/spawn_bootstrap.ts";
import { submitThroughput } from "./wire/submit.ts";

const DRIVERS: [string, () => Promise<Figure[]>][] = [
  ["spawn → Bootstrap", spawnBootstrap],
  ["pipelined GetJob", pipelinedGetJob],
  ["status fan-out", statusFanout],
  ["submit throughput", submitThroughput],
  ["runner instances", runnerInstances],
  ["Airflow runtime", airflowRuntime],
  ["pipe throughput", pipeThroughput],
];

const BENCH_FILES = ["bench/framing_bench.ts", "bench/codec_bench.ts", "bench/job_store_bench.ts"];

const figures: Figure[] = [];
const started = new Date();
for (const [label, driver] of DRIVERS) {
  console.error(`bench: ${label}…`);
  try {
    figures.push(...await driver());
  } catch (error) {
    figures.push({
      name: label,
      value: undefined,
      unit: "",
      note: `not measured: ${(error as Error).message}`,
    });
  }
}
console.error("bench: deno bench files…");
figures.push(...await microBenchmarks());

const table = renderTable(figures);
console.log(table);
await Deno.writeTextFile(`${ROOT}BENCHMARKS.md`, await report(table, started));
console.error("bench: wrote BENCHMARKS.md");

/** Runs `deno bench --json` and turns each result into a figure (mean time per iteration). */
async function microBenchmarks(): Promise<Figure[]> {
  const flags = Deno.readTextFileSync(`${ROOT}bin/ceiling.flags`).split("\n").filter(Boolean);
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "bench",
      ...flags,
      "--json",
      "--config",
      `${ROOT}deno.json`,
      ...BENCH_FILES.map((f) => `${ROOT}${f}`),
    ],
    stdout: "piped",
    stderr: "null",
  }).output();
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

function renderTable(list: Figure[]): string {
  const rows = [["figure", "value", "budget", "holds"]];
  for (const figure of list) {
    const value = figure.value === undefined ? "—" : `${format(figure.value)} ${figure.unit}`;
    const budget = figure.budget ? `${figure.budget.op} ${format(figure.budget.value)}` : "";
    const verdict = holds(figure);
    rows.push([
      figure.name + (figure.note ? ` (${figure.note})` : ""),
      value,
      budget,
      verdict === undefined ? "" : verdict ? "yes" : "NO",
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) =>
    `| ${row.map((cell, i) => cell.padEnd(widths[i]!)).join(" | ")} |`;
  return [
    line(rows[0]!),
    `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`,
    ...rows.slice(1).map(line),
  ].join("\n");
}

function format(value: number): string {
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString("en");
  return value.toPrecision(3);
}

async function report(table: string, when: Date): Promise<string> {
  const run = async (command: string, args: string[]) =>
    new TextDecoder().decode(
      (await new Deno.Command(command, { args, stdout: "piped", stderr: "null" }).output().catch(
        () => ({ stdout: new Uint8Array() }),
      )).stdout,
    ).trim();
  const cpu = (await run("sh", ["-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"])) ||
    "unknown";
  const memory = await run("sh", ["-c", "free -h | awk '/Mem:/ {print $2}'"]);
  return `# Benchmarks

Measured by \`make bench\` (\`deno run <ceiling flags> bench/run.ts\`), which runs the wire-level
drivers in \`bench/wire/\` against real host processes started with \`deno run\` and the permission
ceiling, and \`deno bench\` over ${
    BENCH_FILES.map((f) => `\`${f}\``).join(", ")
  }. Budgets are DESIGN.md §10.

- Date: ${when.toISOString()}
- Machine: ${navigator.hardwareConcurrency} cores (${cpu.trim()}), ${memory} memory, ${await run(
    "uname",
    ["-sr"],
  )}
- Deno: ${Deno.version.deno} (V8 ${Deno.version.v8})

${table}

${await Deno.readTextFile(`${ROOT}bench/findings.md`)}`;
}
