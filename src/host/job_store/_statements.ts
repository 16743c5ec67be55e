import type { DatabaseSync, StatementSync } from "node:sqlite";

// Rows come back as arrays `[body, instance_key, plugin]` (see `JobRow`): several times
// cheaper to build than objects.
const ROW = "SELECT body, instance_key, plugin FROM jobs";
const ROW_STATEMENTS = ["selectBySeq", "selectByIdempotencyKey", "selectExpired"];

const SQL = {
  nextSeq: "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'jobs'), 0) + 1 AS seq",
  insertJob: `INSERT INTO jobs (seq, user, status, submission_ms, update_ms, instance_key, plugin,
    idempotency_key, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  insertTag: "INSERT OR IGNORE INTO job_tags (tag, job_seq) VALUES (?, ?)",
  selectBySeq: `${ROW} WHERE seq = ?`,
  selectByIdempotencyKey: `${ROW} WHERE user = ? AND idempotency_key = ?`,
  updateJob: "UPDATE jobs SET status = ?, update_ms = ?, body = ? WHERE seq = ?",
  // The same status: SQLite then leaves the status index alone.
  updateJobBody: "UPDATE jobs SET update_ms = ?, body = ? WHERE seq = ?",
  deleteJob: "DELETE FROM jobs WHERE seq = ?",
  selectExpired: `${ROW} WHERE status IN (?, ?, ?, ?) AND update_ms < ? ORDER BY seq`,
  countByStatus: "SELECT status, count(*) AS n FROM jobs GROUP BY status",
  begin: "BEGIN IMMEDIATE",
  commit: "COMMIT",
  rollback: "ROLLBACK",
  savepoint: "SAVEPOINT write",
  release: "RELEASE write",
  rollbackToSavepoint: "ROLLBACK TO write",
} as const;

/**
 * Makes `statement` return rows as arrays. `setReturnArrays` exists in Deno's `node:sqlite`
 * (Node 22.16+ API) but not yet in its bundled typings.
 */
export function returningArrays(statement: StatementSync): StatementSync {
  (statement as StatementSync & { setReturnArrays(on: boolean): void }).setReturnArrays(true);
  return statement;
}

/** The store's fixed statements, prepared once per database. */
export type Statements = { readonly [K in keyof typeof SQL]: StatementSync };

/** Prepares every fixed statement of the job store on `db`. */
export function prepareStatements(db: DatabaseSync): Statements {
  const entries = Object.entries(SQL).map(([name, sql]) => {
    const statement = db.prepare(sql);
    if (ROW_STATEMENTS.includes(name)) returningArrays(statement);
    return [name, statement];
  });
  return Object.fromEntries(entries) as Statements;
}
