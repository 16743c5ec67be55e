import { DatabaseSync } from "node:sqlite";
import { makeStorePrivate } from "./_private_file.ts";

/**
 * The schema version this code writes, kept in `PRAGMA user_version`. Version 2 has the
 * tables of version 1; its `instance_key`s use the injective name encoding (see
 * `encodeSegment`), where version 1 folded names such as `rt user` and `rt_user` into one.
 */
export const JOB_SCHEMA_VERSION = 2;

/** Gives the instance key of a job owner's jobs, for re-keying a version 1 store. */
export type Rekey = (user: string) => string;

/** How much a committed write survives. */
export type JobStoreDurability = "process" | "power";

// Columns beside `body` (the job as JSON, without `id`) exist only to be indexed and
// filtered; `body` is the source of truth. AUTOINCREMENT keeps IDs unique for the life of
// the file, even after the newest job is deleted.
const SCHEMA_V1 = `
CREATE TABLE jobs (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  user TEXT NOT NULL,
  status TEXT NOT NULL,
  submission_ms INTEGER NOT NULL,
  update_ms INTEGER NOT NULL,
  instance_key TEXT NOT NULL,
  plugin TEXT NOT NULL,
  idempotency_key TEXT,
  body TEXT NOT NULL
);
CREATE INDEX jobs_by_user ON jobs (user);
CREATE INDEX jobs_by_status ON jobs (status);
CREATE INDEX jobs_by_instance ON jobs (instance_key);
CREATE INDEX jobs_by_submission ON jobs (submission_ms);
CREATE UNIQUE INDEX jobs_by_idempotency_key ON jobs (user, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE TABLE job_tags (
  tag TEXT NOT NULL,
  job_seq INTEGER NOT NULL,
  PRIMARY KEY (tag, job_seq)
) WITHOUT ROWID;
CREATE INDEX job_tags_by_job ON job_tags (job_seq);
CREATE TRIGGER jobs_drop_tags AFTER DELETE ON jobs BEGIN
  DELETE FROM job_tags WHERE job_seq = old.seq;
END;
`;

/**
 * Opens (creating if needed, mode 0600) the job database at `path` and brings its schema to
 * {@linkcode JOB_SCHEMA_VERSION}; refuses a file written by a newer version.
 *
 * Durability: WAL always. `"process"` uses `synchronous=NORMAL`: a commit has reached the
 * operating system (written to the WAL file) before it returns, so killing the host, even
 * with SIGKILL, loses nothing acknowledged; only an OS crash or power loss may roll back the
 * last commits (sqlite.org/pragma.html#pragma_synchronous). `"power"` uses
 * `synchronous=FULL` and pays one fsync per commit.
 */
export function openJobDatabase(
  path: string,
  durability: JobStoreDurability,
  rekey?: Rekey,
): DatabaseSync {
  makeStorePrivate(path);
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(path);
  } catch (error) {
    throw new Error(`Cannot open job store "${path}": ${messageOf(error)}`, { cause: error });
  }
  try {
    configure(db, durability);
    migrate(db, path, rekey);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function configure(db: DatabaseSync, durability: JobStoreDurability): void {
  db.exec("PRAGMA busy_timeout = 5000");
  // Up to 32 MiB of pages in memory (default 2 MiB): 100 000 jobs fit, so listings and
  // GetJob read no file pages once warm.
  db.exec("PRAGMA cache_size = -32768");
  db.exec("PRAGMA journal_mode = WAL");
  db.exec(`PRAGMA synchronous = ${durability === "power" ? "FULL" : "NORMAL"}`);
}

function migrate(db: DatabaseSync, path: string, rekey: Rekey | undefined): void {
  const version = userVersion(db);
  if (version > JOB_SCHEMA_VERSION) {
    throw new Error(
      `Cannot open job store "${path}": schema version ${version} is newer than ` +
        `supported version ${JOB_SCHEMA_VERSION}`,
    );
  }
  if (version === JOB_SCHEMA_VERSION) return;
  if (version === 1) return rekeyVersion1(db, path, rekey);
  db.exec("BEGIN IMMEDIATE");
  try {
    db.exec(SCHEMA_V1);
    db.exec(`PRAGMA user_version = ${JOB_SCHEMA_VERSION}`);
    db.exec("COMMIT");
  } catch (error) {
    db.exec("ROLLBACK");
    throw new Error(`Cannot create job store schema in "${path}": ${messageOf(error)}`, {
      cause: error,
    });
  }
}

/**
 * Brings a version 1 store to version 2: every job's instance key is computed again from
 * its owner, so the jobs of users that version 1 folded into one instance go each to
 * their own. Without `rekey` (a store opened outside Launcher mode) a store that holds
 * jobs is refused rather than served with keys that may mix users.
 */
function rekeyVersion1(db: DatabaseSync, path: string, rekey: Rekey | undefined): void {
  const rows = db.prepare("SELECT seq, user FROM jobs").all() as { seq: number; user: string }[];
  if (rows.length > 0 && !rekey) {
    throw new Error(
      `Cannot open job store "${path}": its ${rows.length} jobs have version 1 instance keys, ` +
        `which may put two users in one instance; start "launchbox launcher" on it once to ` +
        `re-key them`,
    );
  }
  db.exec("BEGIN IMMEDIATE");
  try {
    const update = db.prepare("UPDATE jobs SET instance_key = ? WHERE seq = ?");
    for (const row of rows) update.run(rekey!(row.user), row.seq);
    db.exec(`PRAGMA user_version = ${JOB_SCHEMA_VERSION}`);
    db.exec("COMMIT");
  } catch (error) {
    db.exec("ROLLBACK");
    throw new Error(`Cannot re-key the jobs of job store "${path}": ${messageOf(error)}`, {
      cause: error,
    });
  }
}

function userVersion(db: DatabaseSync): number {
  const row = db.prepare("PRAGMA user_version").get() as { user_version: number } | undefined;
  return row?.user_version ?? 0;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
