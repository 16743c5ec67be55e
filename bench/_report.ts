/** The table `make bench` prints and the BENCHMARKS.md it writes around it. */
import { type Figure, holds } from "./wire/figure.ts";

/** One Markdown table: each figure, its budget (set in `bench/run.ts`) and whether it holds. */
export function renderTable(list: Figure[]): string {
  const rows = [["figure", "value", "budget", "holds"]];
  for (const figure of list) {
    const value = figure.value === undefined ? "—" : `${format(figure.value)} ${figure.unit}`;
    const budget = figure.budget ? `${figure.budget.op} ${format(figure.budget.value)}` : "";
    const verdict = holds(figure);
    rows.push([
      figure.name + (figure.note ? ` (${figure.note})` : ""),
      value,
      budget,
      verdict === undefined ? (figure.budget ? "not measured" : "") : verdict ? "yes" : "NO",
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

/** Output of a shell command line, trimmed; empty when it fails. */
export async function shell(line: string): Promise<string> {
  const output = await new Deno.Command("sh", {
    args: ["-c", line],
    stdout: "piped",
    stderr: "null",
  }).output().catch(() => undefined);
  return output ? new TextDecoder().decode(output.stdout).trim() : "";
}

/** What the figures were measured on, and how busy it was (other processes share it). */
export interface Machine {
  cores: string;
  cpu: string;
  memory: string;
  kernel: string;
  deno: string;
  loadBefore: string;
  loadAfter: string;
}

export async function describeMachine(loadBefore: string): Promise<Machine> {
  return {
    cores: await shell("nproc"),
    cpu: await shell("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"),
    memory: await shell("free -h | awk '/Mem:/ {print $2}'"),
    kernel: await shell("uname -sr"),
    deno: `${Deno.version.deno} (V8 ${Deno.version.v8})`,
    loadBefore,
    loadAfter: await loadAverage(),
  };
}

/** The 1, 5 and 15 minute load averages. */
export async function loadAverage(): Promise<string> {
  return (await shell("cut -d' ' -f1-3 /proc/loadavg")) || "unknown";
}

/** BENCHMARKS.md: machine, date, exact commands, the table, then bench/findings.md. */
export function benchmarksMarkdown(options: {
  when: Date;
  machine: Machine;
  commands: string[];
  table: string;
  findings: string;
}): string {
  const { when, machine: m, commands, table, findings } = options;
  return `# Benchmarks

Measured by \`make bench\` against the budgets set in \`bench/run.ts\` (see \`docs/architecture.md\`). The wire-level drivers in
\`bench/wire/\` start real host processes with \`deno run\` and the permission ceiling
(\`bin/ceiling.flags\`) and speak frames to them; the \`deno bench\` files cover framing, both
codecs and the job store. A figure with a budget that could not be measured says why.

- Date: ${when.toISOString()}
- Machine: ${m.cores} cores (${m.cpu || "unknown CPU"}), ${m.memory} memory, ${m.kernel}
- Load average (1, 5, 15 min) before: ${m.loadBefore}; after: ${m.loadAfter}. Other
  processes share these cores; the bare \`deno run\` row shows how much that slowed start-up.
- Deno: ${m.deno}

Commands (paths relative to the checkout):

\`\`\`sh
${commands.join("\n")}
\`\`\`

${table}

${findings}`;
}
