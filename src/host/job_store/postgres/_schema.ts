import type { Sql, TransactionSql } from "postgres";
import { createKey } from "./_signer.ts";

/** The schema version this code writes, kept in `launchbox_schema`. */
export const PG_SCHEMA_VERSION = 1;

// Every host that opens the store runs the migrations; an advisory lock held for the
// transaction makes the first one do the work and the others wait and find it done.
const MIGRATION_LOCK = 7_346_221_001;

// `body` is the job as JSON text (with `id`), the source of truth as in the SQLite store;
// text rather than jsonb so keys keep their order and numbers their spelling. The columns
// beside it exist to be indexed and filtered. `seq` comes from an identity sequence, so IDs
// are unique across every node on the database and never reused. `change_seq` counts the
// job's status changes; `job_changes` keeps each one so a listener can fetch, in order, the
// changes a notification names or that it missed while disconnected.
const MIGRATIONS: readonly string[] = [
  `
CREATE TABLE launchbox_schema (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  version integer NOT NULL
);
INSERT INTO launchbox_schema (version) VALUES (0);
CREATE TABLE jobs (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  "user" text NOT NULL,
  status text NOT NULL,
  submission_ms bigint NOT NULL,
  update_ms bigint NOT NULL,
  instance_key text NOT NULL,
  plugin text NOT NULL,
  node_id text NOT NULL,
  idempotency_key text,
  tags text[] NOT NULL,
  change_seq bigint NOT NULL,
  body text NOT NULL
);
CREATE INDEX jobs_by_user ON jobs ("user", seq);
CREATE INDEX jobs_by_status ON jobs (status);
CREATE INDEX jobs_by_instance ON jobs (instance_key, seq);
CREATE INDEX jobs_by_node ON jobs (node_id);
CREATE INDEX jobs_by_submission ON jobs (submission_ms);
CREATE INDEX jobs_by_tags ON jobs USING gin (tags);
CREATE UNIQUE INDEX jobs_by_idempotency_key ON jobs ("user", idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE TABLE job_changes (
  job_seq bigint NOT NULL REFERENCES jobs (seq) ON DELETE CASCADE,
  change_seq bigint NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  body text NOT NULL,
  PRIMARY KEY (job_seq, change_seq)
);
CREATE INDEX job_changes_by_time ON job_changes (recorded_at);
CREATE TABLE job_removals (
  job_seq bigint PRIMARY KEY,
  recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  instance_key text NOT NULL,
  plugin text NOT NULL,
  node_id text NOT NULL,
  body text NOT NULL
);
CREATE INDEX job_removals_by_time ON job_removals (recorded_at);
CREATE TABLE launchbox_secret (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  key bytea NOT NULL
);
CREATE TABLE nodes (
  id text PRIMARY KEY,
  address text NOT NULL,
  incarnation bigint NOT NULL,
  state text NOT NULL CHECK (state IN ('alive', 'expired', 'left')),
  lease_until_ms bigint NOT NULL,
  registered_ms bigint NOT NULL
);
`,
];

/**
 * Brings the database's schema to {@linkcode PG_SCHEMA_VERSION}, one transaction per step
 * under an advisory lock; refuses a database written by a newer version.
 */
export async function migrate(sql: Sql, where: string): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`;
    const version = await currentVersion(tx);
    if (version > PG_SCHEMA_VERSION) {
      throw new Error(
        `Cannot open job store ${where}: schema version ${version} is newer than ` +
          `supported version ${PG_SCHEMA_VERSION}`,
      );
    }
    for (let step = version; step < PG_SCHEMA_VERSION; step++) {
      await tx.unsafe(MIGRATIONS[step]!);
      if (step === 0) await createKey(tx);
      await tx`UPDATE launchbox_schema SET version = ${step + 1}`;
    }
  });
}

async function currentVersion(tx: TransactionSql): Promise<number> {
  const [table] = await tx`SELECT to_regclass('launchbox_schema') IS NOT NULL AS present`;
  if (!table?.present) return 0;
  const [row] = await tx`SELECT version FROM launchbox_schema`;
  return Number(row?.version ?? 0);
}
