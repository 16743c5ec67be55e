import type { Sql } from "postgres";
import { type Job, JOB_STATUSES, type JobFilter, type JobStatus } from "../../../sdk/mod.ts";
import type { JobScope } from "../_query.ts";
import { listingQuery } from "./_query.ts";
import {
  jobOf,
  type PgJobRow,
  type PgStoredJob,
  PREPARED,
  ROW_COLUMNS,
  storedOf,
} from "./_statements.ts";

// The store's queries other than inserts, updates and removals. They throw the driver's
// errors; the store names the action and the store.

/** The job numbered `seq` with its owner, or `undefined`. */
export async function selectJob(sql: Sql, seq: number): Promise<PgStoredJob | undefined> {
  const [row] = await sql.unsafe<PgJobRow[]>(
    `SELECT ${ROW_COLUMNS} FROM jobs WHERE seq = $1`,
    [seq],
    PREPARED,
  );
  return row === undefined ? undefined : storedOf(row);
}

/** The job of `user` that holds idempotency key `key`, or `undefined`. */
export async function selectByKey(sql: Sql, user: string, key: string): Promise<Job | undefined> {
  const [row] = await sql.unsafe<PgJobRow[]>(
    `SELECT ${ROW_COLUMNS} FROM jobs WHERE "user" = $1 AND idempotency_key = $2`,
    [user, key],
    PREPARED,
  );
  return row === undefined ? undefined : jobOf(row);
}

/** The jobs inserted through `nodeId` in one of `statuses`, in ID order. */
export async function selectOfNode(
  sql: Sql,
  nodeId: string,
  statuses: readonly JobStatus[],
): Promise<PgStoredJob[]> {
  const rows = await sql.unsafe<PgJobRow[]>(
    `SELECT ${ROW_COLUMNS} FROM jobs WHERE node_id = $1 AND status = ANY($2::text[])
      ORDER BY seq`,
    [nodeId, [...statuses]],
    PREPARED,
  );
  return rows.map(storedOf);
}

/** The `Failed` jobs of `nodeId` with status message `message`, updated since `sinceMs`. */
export async function selectFailedOfNode(
  sql: Sql,
  nodeId: string,
  o: { message: string; sinceMs: number },
): Promise<PgStoredJob[]> {
  const rows = await sql.unsafe<PgJobRow[]>(
    `SELECT ${ROW_COLUMNS} FROM jobs WHERE node_id = $1 AND status = 'Failed'
      AND update_ms >= $2 AND (body::jsonb ->> 'statusMessage') = $3 ORDER BY seq`,
    [nodeId, o.sinceMs, o.message],
    PREPARED,
  );
  return rows.map(storedOf);
}

/** How many jobs are in each status, every status present (0 when none). */
export async function countStatuses(sql: Sql): Promise<Record<JobStatus, number>> {
  const counts = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
  const rows = await sql`SELECT status, count(*) AS n FROM jobs GROUP BY status`;
  for (const { status, n } of rows) if (status in counts) counts[status as JobStatus] = Number(n);
  return counts;
}

/** The rows in `scope` matching `filter`, in ID order. */
export async function selectListing(
  sql: Sql,
  scope: JobScope,
  filter: JobFilter,
): Promise<PgJobRow[]> {
  const query = listingQuery(scope, filter);
  return await sql.unsafe<PgJobRow[]>(query.text, query.params);
}

/** Moves job `seq` from node `from` to node `to`; `false` when it is gone or not `from`'s. */
export async function reassignJob(sql: Sql, seq: number, nodes: { from: string; to: string }) {
  const rows = await sql`UPDATE jobs SET node_id = ${nodes.to}
    WHERE seq = ${seq} AND node_id = ${nodes.from} RETURNING seq`;
  return rows.length === 1;
}
