import type { Sql } from "postgres";
import type { JobRecord } from "../_rows.ts";
import type { JobMeta } from "../job_store.ts";
import { bodyOf, type Inserted, insertOne, type PayloadOf } from "./_insert_one.ts";
import { PREPARED } from "./_statements.ts";
import { INSERT_BATCH_MAX } from "./constants.ts";

/** One job waiting to be inserted: its record and owner, and who waits for the outcome. */
interface Pending {
  record: JobRecord;
  meta: JobMeta;
  resolve(inserted: Inserted): void;
  reject(error: unknown): void;
}

// Every array parameter is one column; unnest turns them back into rows. Tags travel as
// JSON text per row, since a row's tag array may differ in length from the next's.
const INSERT_ROWS = `WITH r AS (
    SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::bigint[],
      $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
    AS r(seq, usr, status, sub, upd, ik, plugin, node, ikey, tags, body)),
  j AS (INSERT INTO jobs (seq, "user", status, submission_ms, update_ms, instance_key, plugin,
      node_id, idempotency_key, tags, change_seq, body)
    OVERRIDING SYSTEM VALUE
    SELECT seq, usr, status, sub, upd, ik, plugin, node, ikey,
      ARRAY(SELECT json_array_elements_text(tags::json)), 1, body FROM r),
  c AS (INSERT INTO job_changes (job_seq, change_seq, body) SELECT seq, 1, body FROM r)
  SELECT pg_notify($12, p) FROM unnest($13::text[]) WITH ORDINALITY AS n(p, i) ORDER BY i`;

const NEXT_SEQS = `SELECT nextval(pg_get_serial_sequence('jobs', 'seq')) AS seq
  FROM generate_series(1, $1)`;

/**
 * Group commit for inserts: submits that arrive while a batch is being written wait and go
 * together in the next one, as one statement (one transaction, one WAL flush, one commit
 * of notifications) instead of one each. PostgreSQL serialises the commits of notifying
 * transactions, so batching is what lets a node's submits share a flush. IDs follow the
 * order the inserts arrived in. When a batch fails on a unique key (an idempotency key
 * used twice), its jobs are inserted one by one, so only the offending one fails.
 */
export class InsertBatcher {
  readonly #sql: Sql;
  readonly #channel: string;
  readonly #nodeId: string;
  readonly #payloadOf: PayloadOf;
  #queue: Pending[] = [];
  #writing = false;

  constructor(
    sql: Sql,
    options: { channel: string; nodeId: string; payloadOf: PayloadOf },
  ) {
    this.#sql = sql;
    this.#channel = options.channel;
    this.#nodeId = options.nodeId;
    this.#payloadOf = options.payloadOf;
  }

  insert(record: JobRecord, meta: JobMeta): Promise<Inserted> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ record, meta, resolve, reject });
      if (!this.#writing) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#writing = true;
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, INSERT_BATCH_MAX);
        await (batch.length === 1 ? this.#one(batch[0]!) : this.#write(batch));
      }
    } finally {
      this.#writing = false;
    }
  }

  async #one(item: Pending): Promise<void> {
    const at = { nodeId: this.#nodeId, channel: this.#channel, payloadOf: this.#payloadOf };
    await insertOne(this.#sql, item, at).then(item.resolve, item.reject);
  }

  async #write(batch: Pending[]): Promise<void> {
    let written: Inserted[];
    try {
      const seqs = await this.#sql.unsafe(NEXT_SEQS, [batch.length], PREPARED);
      const numbers = seqs.map((row) => Number(row.seq)).sort((a, b) => a - b);
      written = batch.map((item, i) => bodyOf(numbers[i]!, item.record));
      const payloads = await Promise.all(written.map((w) => this.#payloadOf(w.seq, 1, w.body)));
      await this.#sql.unsafe(INSERT_ROWS, this.#columns(batch, written, payloads), PREPARED);
    } catch (error) {
      if ((error as { code?: string }).code === "23505") {
        for (const item of batch) await this.#one(item);
      } else {
        for (const item of batch) item.reject(error);
      }
      return;
    }
    batch.forEach((item, i) => item.resolve(written[i]!));
  }

  #columns(batch: Pending[], written: Inserted[], payloads: string[]) {
    const column = <T>(pick: (item: Pending, i: number) => T) => batch.map(pick);
    return [
      written.map((w) => w.seq),
      column((p) => p.record.user),
      column((p) => p.record.status),
      column((p) => p.record.submissionMs),
      column((p) => p.record.updateMs),
      column((p) => p.meta.instanceKey),
      column((p) => p.meta.plugin),
      column(() => this.#nodeId),
      column((p) => p.meta.idempotencyKey ?? null),
      column((p) => JSON.stringify(p.record.tags)),
      written.map((w) => w.body),
      this.#channel,
      payloads,
    ];
  }
}
