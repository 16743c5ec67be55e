import postgres from "postgres";
import type { LauncherClient } from "../../src/launcher/launcher_client.ts";
import type { BenchHost } from "./_cluster_hosts.ts";
import { request } from "./host.ts";

/** The churn plugin's schedule: 5 jobs × 200 updates, one every 50 ms each: 100 updates/s. */
export const CHURN_JOBS = 5;
export const CHURN_UPDATES = 200;
export const CHURN_INTERVAL_MS = 50;
export const CHURN_CONFIG = [
  `updates=${CHURN_UPDATES}`,
  `interval-ms=${CHURN_INTERVAL_MS}`,
  `jobs=${CHURN_JOBS}`,
];
/** Updates stamped in the first second (instance start, JIT) are counted but not timed. */
const WARM_UP_MS = 1_000;
const DEADLINE_MS = 90_000;

/** What one status stream saw of the churn jobs' updates. */
export interface StreamTally {
  /** Send-to-arrival times (ms) of the updates after the warm-up. */
  latencies: number[];
  received: number;
  /** Every job's stamps arrived in order (never an earlier one after a later one). */
  inOrder: boolean;
  /** Updates received per job: each must have all `CHURN_UPDATES`, none twice. */
  perJob: Map<string, number>;
}

/**
 * Opens a `*` status stream on each of `readers`, submits the churn jobs through `writer`
 * and times each stamped update from the plugin's clock to its arrival here (one machine,
 * one clock), until every stream has all `CHURN_JOBS × CHURN_UPDATES` or the deadline.
 */
export async function churnStreams(
  writer: BenchHost,
  readers: BenchHost[],
): Promise<StreamTally[]> {
  const expected = CHURN_JOBS * CHURN_UPDATES;
  const deadline = AbortSignal.timeout(DEADLINE_MS);
  const streams = readers.map((reader) => follow(reader.client, expected, deadline));
  // A round trip on each reader first, so its stream is registered before the first update.
  await Promise.all(readers.map((r) =>
    r.client.request(request(r.client, 3, "alice", {
      jobId: "*",
      encodedJobId: "",
    }))
  ));
  for (let i = 0; i < CHURN_JOBS; i++) {
    const reply = await writer.client.request(
      request(writer.client, 2, "alice", { job: { command: "churn" } }),
    );
    if (reply.messageType !== 2) throw new Error(`Submit failed: ${reply.errorMessage}`);
  }
  return await Promise.all(streams);
}

async function follow(
  client: LauncherClient,
  expected: number,
  deadline: AbortSignal,
): Promise<StreamTally> {
  const message = request(client, 4, "alice", { jobId: "*", encodedJobId: "", cancel: false });
  const tally: StreamTally = { latencies: [], received: 0, inOrder: true, perJob: new Map() };
  const lastStamp = new Map<string, number>();
  let firstStamp = 0;
  for await (const status of client.openStream(message)) {
    const arrived = performance.timeOrigin + performance.now();
    const stamp = /^t=([\d.]+)$/.exec(String(status.statusMessage ?? ""));
    if (stamp) {
      const sent = Number(stamp[1]);
      const job = String(status.id);
      // Stamps are whole milliseconds: two sent back to back may be equal, never lower.
      if (sent < (lastStamp.get(job) ?? 0)) tally.inOrder = false;
      lastStamp.set(job, sent);
      tally.perJob.set(job, (tally.perJob.get(job) ?? 0) + 1);
      if (tally.received++ === 0) firstStamp = sent;
      if (sent >= firstStamp + WARM_UP_MS) tally.latencies.push(arrived - sent);
    }
    if (tally.received >= expected || deadline.aborted) break;
  }
  client.cancelStream(message);
  return tally;
}

/** The database's own floor: a commit, and a notification heard on another connection. */
export interface Floor {
  commit: number[];
  heard: number[];
}

/**
 * `count` statements that insert a row and `pg_notify` in one transaction (as a status
 * change does), one at a time: the time until the commit is acknowledged, and until a LISTEN connection hears it.
 */
export async function notifyFloor(url: string, schema: string, count = 500): Promise<Floor> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const listener = postgres(url, { max: 1, onnotice: () => {} });
  const channel = `bench_floor_${schema}`;
  const table = `${schema}.bench_floor`;
  const waiting = new Map<string, () => void>();
  try {
    await sql.unsafe(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await sql.unsafe(`CREATE TABLE IF NOT EXISTS ${table} (n int, at text)`);
    await listener.listen(channel, (payload) => waiting.get(payload)?.());
    const floor: Floor = { commit: [], heard: [] };
    for (let i = 0; i < count; i++) {
      const key = String(i);
      const heard = new Promise<void>((resolve) => waiting.set(key, resolve));
      const started = performance.now();
      // One statement, one commit: as the store writes a change and announces it.
      await sql.unsafe(
        `WITH row AS (INSERT INTO ${table} VALUES ($1, now()::text) RETURNING n)
         SELECT pg_notify($2, $3) FROM row`,
        [i, channel, key],
      );
      floor.commit.push(performance.now() - started);
      await heard;
      floor.heard.push(performance.now() - started);
      waiting.delete(key);
    }
    return floor;
  } finally {
    await listener.end({ timeout: 1 });
    await sql.end({ timeout: 1 });
  }
}
