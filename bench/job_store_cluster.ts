// deno-lint-ignore-file no-console
/**
 * Three job-store "nodes" on one PostgreSQL (issue #14's measure), at the store level:
 * three `PostgresJobStore`s in this one process on the private cluster of
 * `scripts/postgres-up`, and the SQLite `JobStore` beside them. Prints a Markdown table.
 *
 *   scripts/postgres-up && deno run <ceiling flags> --config deno.json bench/job_store_cluster.ts
 *
 * Figures: submit (insert) throughput per node and in total with all three submitting at
 * once; GetJob (`getVisible`) p50/p99 through a node that did not submit; status-change
 * latency from the start of `update` on node A to node B's subscriber, p50/p99. The three
 * nodes share this process's event loop and the machine's two cores with the server, so
 * the figures are a floor for what separate hosts see, not the hosts' wire figures.
 */
import { JobStore } from "../src/host/job_store/mod.ts";
import { PostgresJobStore } from "../src/host/job_store/postgres/mod.ts";
import { type AsyncJobStore, asyncJobStore } from "../src/host/job_store/store_interface.ts";
import { dropSchema, freshSchema, privatePostgres } from "../test/_support/postgres.ts";

const SUBMITS_PER_NODE = 2_000;
const IN_FLIGHT = 16;
const GETS = 5_000;
const UPDATES = 2_000;
const PACED_GAP_MS = 2;
const META = { instanceKey: "shared", plugin: "local" };

type Row = [figure: string, value: string];

async function submitAll(store: AsyncJobStore, count: number): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const job = await store.insert({ user: "alice", status: "Pending", tags: ["bench"] }, META);
      ids.push(job.id);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return ids;
}

async function timedSubmit(store: AsyncJobStore, count: number) {
  const start = performance.now();
  const ids = await submitAll(store, count);
  return { ids, perSecond: count / ((performance.now() - start) / 1000) };
}

async function getLatencies(store: AsyncJobStore, ids: string[]): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < GETS; i++) {
    const start = performance.now();
    const job = await store.getVisible("alice", ids[i % ids.length]!);
    times.push(performance.now() - start);
    if (job === undefined) throw new Error(`GetJob found no job "${ids[i % ids.length]}"`);
  }
  return times;
}

/**
 * Update-to-subscriber latency: `UPDATES` status changes of one job through `writer`, each
 * timed until `reader`'s subscriber has it. Back to back when `gapMs` is 0 (so a slow reader
 * queues), else one every `gapMs` (a steady rate, as a busy cluster sees).
 */
async function streamLatencies(
  writer: AsyncJobStore,
  reader: AsyncJobStore,
  id: string,
  gapMs = 0,
) {
  const sent = new Map<string, number>();
  const times: number[] = [];
  let heard = 0;
  const unsubscribe = reader.subscribe((job) => {
    const at = sent.get(job.statusMessage ?? "");
    if (job.id !== id || at === undefined) return;
    times.push(performance.now() - at);
    heard++;
  });
  for (let i = 0; i < UPDATES; i++) {
    const message = `step ${i}`;
    sent.set(message, performance.now());
    await writer.update(id, { status: "Running", statusMessage: message });
    if (gapMs > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
  }
  const deadline = Date.now() + 10_000;
  while (heard < UPDATES && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  unsubscribe();
  if (heard < UPDATES) throw new Error(`The reader heard ${heard} of ${UPDATES} updates`);
  return times;
}

function percentile(times: number[], p: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const ms = (value: number) => `${value.toFixed(2)} ms`;
const rate = (value: number) => `${Math.round(value).toLocaleString("en")} jobs/s`;

async function postgresRows(url: string, label: string): Promise<Row[]> {
  const schema = freshSchema();
  const nodes = await Promise.all(
    ["node-a", "node-b", "node-c"].map((nodeId) =>
      PostgresJobStore.open({ url, schema, nodeId, expiryHours: 24 })
    ),
  );
  try {
    const [a, b, c] = nodes as [PostgresJobStore, PostgresJobStore, PostgresJobStore];
    await submitAll(a, 200); // warm-up: connections, prepared statements
    const start = performance.now();
    const runs = await Promise.all(nodes.map((node) => timedSubmit(node, SUBMITS_PER_NODE)));
    const total = (3 * SUBMITS_PER_NODE) / ((performance.now() - start) / 1000);
    const gets = await getLatencies(b, runs[0]!.ids);
    const streams = await streamLatencies(a, c, runs[0]!.ids[0]!);
    const paced = await streamLatencies(a, c, runs[0]!.ids[1]!, PACED_GAP_MS);
    const rows: Row[] = [
      ...runs.map((run, i): Row => [
        `PostgreSQL, node ${
          "abc"[i]
        }: submit throughput, 3 nodes at once (${SUBMITS_PER_NODE} jobs, ${IN_FLIGHT} in flight each)`,
        rate(run.perSecond),
      ]),
      [`PostgreSQL, 3 nodes: total submit throughput`, rate(total)],
      [
        `PostgreSQL: GetJob through a node that did not submit, p50 (${GETS} sequential)`,
        ms(percentile(gets, 50)),
      ],
      [`PostgreSQL: GetJob through a node that did not submit, p99`, ms(percentile(gets, 99))],
      [
        `PostgreSQL: status change on node A → subscriber on node C, p50 (${UPDATES} sequential)`,
        ms(percentile(streams, 50)),
      ],
      [
        `PostgreSQL: status change on node A → subscriber on node C, p99`,
        ms(percentile(streams, 99)),
      ],
      [
        `PostgreSQL: the same, one update every ${PACED_GAP_MS} ms, p50 / p99`,
        `${ms(percentile(paced, 50))} / ${ms(percentile(paced, 99))}`,
      ],
    ];
    return rows.map((
      [figure, value],
    ): Row => [figure.replace("PostgreSQL", `PostgreSQL (${label})`), value]);
  } finally {
    await Promise.all(nodes.map((node) => node.close()));
    await dropSchema(url, schema);
  }
}

async function sqliteRows(): Promise<Row[]> {
  const dir = await Deno.makeTempDir({ prefix: "launchbox-bench-sqlite-" });
  const store = asyncJobStore(JobStore.open(`${dir}/jobs.sqlite`, { expiryHours: 24 }));
  try {
    await submitAll(store, 200);
    const run = await timedSubmit(store, SUBMITS_PER_NODE);
    const gets = await getLatencies(store, run.ids);
    const streams = await streamLatencies(store, store, run.ids[0]!);
    return [
      [
        `SQLite, one node: submit throughput (${SUBMITS_PER_NODE} jobs, ${IN_FLIGHT} in flight)`,
        rate(run.perSecond),
      ],
      [
        `SQLite, one node: GetJob p50 / p99`,
        `${ms(percentile(gets, 50))} / ${ms(percentile(gets, 99))}`,
      ],
      [
        `SQLite, one node: status change → subscriber p50 / p99`,
        `${ms(percentile(streams, 50))} / ${ms(percentile(streams, 99))}`,
      ],
    ];
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
}

const target = await privatePostgres();
const rows: Row[] = "skip" in target ? [["PostgreSQL figures", `not measured: ${target.skip}`]] : [
  ...await postgresRows(target.url, "synchronous_commit=on, the default"),
  ...await postgresRows(`${target.url}?synchronous_commit=off`, "synchronous_commit=off"),
];
rows.push(...await sqliteRows());
console.log("| figure | value |\n| --- | --- |");
for (const [figure, value] of rows) console.log(`| ${figure} | ${value} |`);
