import type { Sql } from "postgres";
import type { JobRecord } from "../_rows.ts";
import type { JobMeta } from "../job_store.ts";
import { selectByKey } from "./_job_queries.ts";
import { INSERT_JOB, insertColumns, PREPARED } from "./_statements.ts";

const UNIQUE_VIOLATION = "23505";

/** What an insert wrote: the job's number and its body (the job as JSON, with `id`). */
export interface Inserted {
  seq: number;
  body: string;
}

/** The notification payload of change `changeSeq` of job `seq` with `body`. */
export type PayloadOf = (seq: number, changeSeq: number, body: string) => Promise<string>;

/** The body of a new job: its ID first, then the record's fields. */
export function bodyOf(seq: number, record: JobRecord): Inserted {
  return { seq, body: JSON.stringify({ id: String(seq), ...record.job }) };
}

/**
 * Inserts one job in its own statement (a batch of one, or a batch's fallback). A used
 * idempotency key is refused naming the job that holds it.
 */
export async function insertOne(
  sql: Sql,
  item: { record: JobRecord; meta: JobMeta },
  o: { nodeId: string; channel: string; payloadOf: PayloadOf },
): Promise<Inserted> {
  const { record, meta } = item;
  const [next] = await sql`SELECT nextval(pg_get_serial_sequence('jobs', 'seq')) AS seq`;
  const inserted = bodyOf(Number(next!.seq), record);
  const { seq, body } = inserted;
  try {
    const payload = await o.payloadOf(seq, 1, body);
    const columns = insertColumns(seq, record, meta, o.nodeId);
    await sql.unsafe(INSERT_JOB, [...columns, body, o.channel, payload], PREPARED);
  } catch (error) {
    const key = meta.idempotencyKey;
    if (key !== undefined && codeOf(error) === UNIQUE_VIOLATION) {
      await refuseUsedKey(sql, record.user, key);
    }
    throw error;
  }
  return inserted;
}

async function refuseUsedKey(sql: Sql, user: string, key: string): Promise<void> {
  const existing = await selectByKey(sql, user, key);
  if (existing === undefined) return;
  throw new Error(
    `Cannot insert job: idempotency key "${key}" of user "${user}" ` +
      `already belongs to job "${existing.id}"`,
  );
}

function codeOf(error: unknown): string | undefined {
  return (error as { code?: string } | null)?.code;
}
