import type { Job } from "../../../sdk/mod.ts";
import type { JobRecord } from "../_rows.ts";
import type { JobMeta, StoredJob } from "../job_store.ts";

/**
 * Options for \`sql.unsafe\` with a fixed statement: prepared once per connection, as
 * tagged-template queries are (the driver does not prepare \`unsafe\` text by default).
 */
export const PREPARED = { prepare: true } as const;

/** The columns every job read selects, in `PgJobRow` order. */
export const ROW_COLUMNS = "body, instance_key, plugin, node_id";

/** A job row as selected with {@linkcode ROW_COLUMNS}. */
export interface PgJobRow {
  body: string;
  instance_key: string;
  plugin: string;
  node_id: string;
}

/** A stored job with the node that inserted it. */
export interface PgStoredJob extends StoredJob {
  node: string;
}

/** The job a row holds. */
export function jobOf(row: PgJobRow): Job {
  return JSON.parse(row.body);
}

/** The job a row holds, with its owner instance, plugin and node. */
export function storedOf(row: PgJobRow): PgStoredJob {
  return { job: jobOf(row), instanceKey: row.instance_key, plugin: row.plugin, node: row.node_id };
}

/**
 * Inserts a job with its first change and notifies, in one statement (one transaction):
 * $1 seq, $2 user, $3 status, $4 submission_ms, $5 update_ms, $6 instance_key, $7 plugin,
 * $8 node_id, $9 idempotency_key, $10 tags, $11 body, $12 channel, $13 payload.
 */
export const INSERT_JOB = `WITH j AS (
    INSERT INTO jobs (seq, "user", status, submission_ms, update_ms, instance_key, plugin,
      node_id, idempotency_key, tags, change_seq, body)
    OVERRIDING SYSTEM VALUE
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::text[], 1, $11) RETURNING seq),
  c AS (INSERT INTO job_changes (job_seq, change_seq, body) SELECT seq, 1, $11 FROM j)
  SELECT pg_notify($12, $13) FROM j`;

/** Parameters $1–$10 of {@linkcode INSERT_JOB}. */
export function insertColumns(seq: number, record: JobRecord, meta: JobMeta, nodeId: string) {
  const { user, status, submissionMs, updateMs, tags } = record;
  const key = meta.idempotencyKey ?? null;
  return [
    seq,
    user,
    status,
    submissionMs,
    updateMs,
    meta.instanceKey,
    meta.plugin,
    nodeId,
    key,
    tags,
  ];
}

/**
 * Writes a merged job with a new change number, records the change and notifies:
 * $1 seq, $2 status, $3 update_ms, $4 body, $5 change_seq, $6 channel, $7 payload.
 */
export const UPDATE_NOTIFY = `WITH u AS (
    UPDATE jobs SET status = $2, update_ms = $3, body = $4, change_seq = $5
    WHERE seq = $1 RETURNING seq),
  c AS (INSERT INTO job_changes (job_seq, change_seq, body) SELECT seq, $5, $4 FROM u)
  SELECT pg_notify($6, $7) FROM u`;

/** Writes a merged job whose status and message did not change: $1 seq, $2–$4 as above. */
export const UPDATE_QUIET = "UPDATE jobs SET status = $2, update_ms = $3, body = $4 WHERE seq = $1";

// Deleted rows leave a tombstone in job_removals, so a node that missed the notification
// (or whose payload was too large to carry the body) can still tell its listeners.
const REMOVE_ROWS = (where: string) =>
  `WITH d AS (DELETE FROM jobs WHERE ${where}
    RETURNING seq, instance_key, plugin, node_id, body),
  r AS (INSERT INTO job_removals (job_seq, instance_key, plugin, node_id, body)
    SELECT seq, instance_key, plugin, node_id, body FROM d ON CONFLICT (job_seq) DO NOTHING)
  SELECT d.seq, pg_notify($1, json_build_object('r', d.seq)::text) FROM d ORDER BY d.seq`;

/** Deletes one job, notifying: $1 channel, $2 seq. */
export const REMOVE_JOB = REMOVE_ROWS("seq = $2");

/** Deletes terminal jobs last updated before a cutoff: $1 channel, $2 statuses, $3 cutoff. */
export const REMOVE_EXPIRED = REMOVE_ROWS("status = ANY($2::text[]) AND update_ms < $3");

/** Forgets changes and tombstones older than the catch-up window: $1 cutoff time. */
export const PRUNE_HISTORY = [
  "DELETE FROM job_changes WHERE recorded_at < $1",
  "DELETE FROM job_removals WHERE recorded_at < $1",
] as const;
