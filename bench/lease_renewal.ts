// deno-lint-ignore-file no-console
/**
 * How long a node's lease renewal takes while its store writes a burst (the recovery that
 * fails 1 500 jobs at once, as `CrashReconciler` does when a plugin cannot take its jobs
 * back), renewing on the store's pool (as before branch `lease`) and on the store's lease
 * connection (`PostgresJobStore.leaseSql`, as now). One store in this process on the private
 * PostgreSQL of `scripts/postgres-up`, each phase in a fresh schema. Prints a Markdown table.
 *
 *   scripts/postgres-up && deno run <ceiling flags> --config deno.json bench/lease_renewal.ts
 */
import type { Sql } from "postgres";
import { NodeRegistry, PostgresJobStore } from "../src/host/job_store/postgres/mod.ts";
import { dropSchema, freshSchema, privatePostgres } from "../test/_support/postgres.ts";

const JOBS = 1_500;
const RENEW_EVERY_MS = 50;
const LEASE_MS = 15_000;
const META = { instanceKey: "shared", plugin: "inmemory" };

interface Phase {
  renewals: number[];
  burstMs: number;
}

/** Fails `JOBS` live jobs at once while renewing every `RENEW_EVERY_MS` through `leaseSql`. */
async function phase(url: string, leaseSqlOf: (store: PostgresJobStore) => Sql): Promise<Phase> {
  const schema = freshSchema();
  const store = await PostgresJobStore.open({ url, schema, nodeId: "node-a", expiryHours: 24 });
  try {
    const ids = await Promise.all(
      Array.from({ length: JOBS }, () => store.insert({ user: "alice", status: "Running" }, META)),
    ).then((jobs) => jobs.map((job) => job.id));
    const registry = new NodeRegistry(store.sql, { leaseSql: leaseSqlOf(store) });
    const lease = await registry.register("node-a", "a:1", LEASE_MS);
    const renewals: number[] = [];
    let bursting = true;
    const renewing = (async () => {
      while (bursting) {
        const start = performance.now();
        if (!await registry.renew(lease, LEASE_MS)) throw new Error("Cannot renew: lease lost");
        renewals.push(performance.now() - start);
        await new Promise((resolve) => setTimeout(resolve, RENEW_EVERY_MS));
      }
    })();
    const start = performance.now();
    await Promise.all(
      ids.map((id) =>
        store.update(id, { status: "Failed", statusMessage: "could not take it back" })
      ),
    );
    const burstMs = performance.now() - start;
    bursting = false;
    await renewing;
    return { renewals, burstMs };
  } finally {
    await store.close();
    await dropSchema(url, schema);
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const pg = await privatePostgres();
if ("skip" in pg) {
  console.log(`not measured: ${pg.skip}`);
  Deno.exit(0);
}
const phases: [string, (store: PostgresJobStore) => Sql][] = [
  ["on the store's pool (before)", (store) => store.sql],
  ["on the lease connection (now)", (store) => store.leaseSql],
];
console.log(`| renewal during a burst of ${JOBS} updates | burst | renewals | p50 | p99 | max |`);
console.log("| --- | --- | --- | --- | --- | --- |");
for (const [label, leaseSqlOf] of phases) {
  const { renewals, burstMs } = await phase(pg.url, leaseSqlOf);
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  console.log(
    `| ${label} | ${ms(burstMs)} | ${renewals.length} | ${ms(percentile(renewals, 50))} | ` +
      `${ms(percentile(renewals, 99))} | ${ms(Math.max(...renewals))} |`,
  );
}
