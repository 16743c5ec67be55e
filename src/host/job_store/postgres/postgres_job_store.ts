import type { Sql } from "postgres";
import {
  isTerminalStatus,
  type Job,
  JOB_STATUSES,
  type JobFilter,
  type JobStatus,
  type JobUpdate,
} from "../../../sdk/mod.ts";
import type { JobScope } from "../_query.ts";
import { checkMeta, type JobRecord, pickFields, recordOf, seqOf } from "../_rows.ts";
import type { JobMeta, JobUpdateResult, StoredJob } from "../job_store.ts";
import type { AsyncJobStore } from "../store_interface.ts";
import { ChangeFeed, changePayload } from "./_change_feed.ts";
import { channelOf, connect, dbError, ensureSchema, redactUrl } from "./_connect.ts";
import { bodyOf, InsertBatcher, type Inserted } from "./_insert_batch.ts";
import { mergeAndWrite } from "./_merge_write.ts";
import { HISTORY_RETENTION_MS, OWN_NOTIFICATION_WAIT_MS } from "./constants.ts";
import { listingQuery } from "./_query.ts";
import { migrate } from "./_schema.ts";
import { PayloadSigner } from "./_signer.ts";
import * as SQL from "./_statements.ts";
import { isStoreFailure, StoreHealth } from "./store_health.ts";
import { catchDriverRejections } from "./_driver_rejections.ts";
import { jobOf, type PgJobRow, type PgStoredJob, storedOf } from "./_statements.ts";

export type { PgStoredJob } from "./_statements.ts";

/** Options for {@linkcode PostgresJobStore.open}. */
export interface PostgresJobStoreOptions {
  /** `postgres://user:password@host:port/db`; absent: libpq's `PG*` environment variables. */
  url?: string;
  /** The schema holding the tables (created when missing); `"public"` by default. */
  schema?: string;
  /** This node's name: recorded as the owner of the jobs it inserts. */
  nodeId: string;
  /** Hours after its last update that `expire()` removes a job in a terminal status. */
  expiryHours: number;
  /** Stamps `lastUpdateTime` and drives expiry; defaults to the system clock. */
  clock?: { now(): Date };
  /** Told about errors thrown by subscribers and of the change feed. */
  onListenerError?: (error: unknown) => void;
}

const LIVE_STATUSES = JOB_STATUSES.filter((status) => !isTerminalStatus(status));
const TERMINAL_STATUSES = JOB_STATUSES.filter(isTerminalStatus);
const HOUR_MS = 3_600_000;
const UNIQUE_VIOLATION = "23505";

/**
 * The job store on PostgreSQL, shared by every Launcher node of a load-balanced cluster:
 * the SQLite store's semantics (see {@linkcode AsyncJobStore}) with IDs from one sequence,
 * so unique across nodes, and subscribers told about every node's changes through
 * LISTEN/NOTIFY ({@linkcode ChangeFeed}).
 */
export class PostgresJobStore implements AsyncJobStore {
  readonly #sql: Sql;
  readonly #leaseSql: Sql;
  readonly #where: string;
  readonly #channel: string;
  readonly #nodeId: string;
  readonly #expiryMs: number;
  readonly #clock: { now(): Date };
  readonly #feed: ChangeFeed;
  readonly #batcher: InsertBatcher;
  #signer: PayloadSigner | undefined;
  #closed = false;
  #stopCatching: () => void = () => {};
  /** Whether queries, commits and the change feed work (for `/health`). */
  readonly health: StoreHealth = new StoreHealth();

  private constructor(
    sql: Sql,
    leaseSql: Sql,
    where: string,
    schema: string,
    options: PostgresJobStoreOptions,
  ) {
    this.#sql = sql;
    this.#leaseSql = leaseSql;
    this.#where = where;
    this.#channel = channelOf(schema);
    this.#nodeId = options.nodeId;
    this.#expiryMs = options.expiryHours * HOUR_MS;
    this.#clock = options.clock ?? { now: () => new Date() };
    this.#feed = new ChangeFeed(sql, this.#channel, options.onListenerError ?? (() => {}));
    this.#batcher = new InsertBatcher(sql, {
      channel: this.#channel,
      nodeId: this.#nodeId,
      insertOne: (record, meta) => this.#insertOne(record, meta),
      payloadOf: this.#payloadOf,
    });
  }

  /** Connects, creates or migrates the schema, and starts listening for changes. */
  static async open(options: PostgresJobStoreOptions): Promise<PostgresJobStore> {
    const where = redactUrl(options.url);
    const hours = options.expiryHours;
    if (typeof hours !== "number" || !(hours >= 0) || hours === Infinity) {
      throw new RangeError(`Cannot open job store ${where}: expiryHours ${hours} is not >= 0`);
    }
    if (typeof options.nodeId !== "string" || options.nodeId === "") {
      throw new TypeError(`Cannot open job store ${where}: nodeId must be a non-empty string`);
    }
    const schema = options.schema ?? "public";
    const target = { ...(options.url === undefined ? {} : { url: options.url }), schema };
    const sql = connect(target);
    // One connection of its own, opened on first use: lease renewals never queue behind
    // the job writes that share the pool (a recovery failing 1 500 jobs at once).
    const leaseSql = connect(target, 1);
    const store = new PostgresJobStore(sql, leaseSql, where, schema, options);
    store.#stopCatching = catchDriverRejections((error) => {
      const message = dbError("keep a connection", where, error).message;
      store.health.failed("query", message);
      options.onListenerError?.(new Error(message, { cause: error }));
    });
    try {
      await ensureSchema(sql, schema);
      await migrate(sql, where);
      store.#signer = await PayloadSigner.load(sql);
      await store.#feed.start(store.#signer);
      return store;
    } catch (error) {
      store.#stopCatching();
      await sql.end({ timeout: 1 }).catch(() => {});
      await leaseSql.end({ timeout: 1 }).catch(() => {});
      if (error instanceof Error && error.message.startsWith("Cannot ")) throw error;
      throw new Error(`Cannot open job store ${where}: ${messageOf(error)}`, { cause: error });
    }
  }

  /** The node name this store records on the jobs it inserts. */
  get nodeId(): string {
    return this.#nodeId;
  }

  /** The NOTIFY channel of node-to-node calls (`NodeChannel`) for this store's schema. */
  get callChannel(): string {
    return `${this.#channel}_calls`;
  }

  /** The store's URL without its password, to name it in messages. */
  get where(): string {
    return this.#where;
  }

  /** The connection pool, for the node registry and tests. */
  get sql(): Sql {
    return this.#sql;
  }

  /** A connection of its own for this node's lease (`NodeRegistry`'s `leaseSql`). */
  get leaseSql(): Sql {
    return this.#leaseSql;
  }

  async insert(draft: Omit<Job, "id">, meta: JobMeta): Promise<Job> {
    this.#assertOpen();
    checkMeta(meta);
    const record = recordOf(draft, this.#clock.now().getTime());
    // A used idempotency key is found by the unique index, not by a query first: one round
    // trip less, and submits reach the batch in the order they were made.
    const { seq } = await this.#batcher.insert(record, meta).catch(this.#failed("insert job"));
    this.health.committed();
    const job = { id: String(seq), ...record.job } as Job;
    await this.#feed.deliverOwn(seq, 1, job, OWN_NOTIFICATION_WAIT_MS);
    return job;
  }

  /** Inserts one job in its own statement: a batch of one, or a batch's fallback. */
  async #insertOne(record: JobRecord, meta: JobMeta): Promise<Inserted> {
    const [next] = await this.#sql`SELECT nextval(pg_get_serial_sequence('jobs', 'seq')) AS seq`;
    const inserted = bodyOf(Number(next!.seq), record);
    const { seq, body } = inserted;
    try {
      const payload = await this.#payloadOf(seq, 1, body);
      const columns = SQL.insertColumns(seq, record, meta, this.#nodeId);
      await this.#sql.unsafe(
        SQL.INSERT_JOB,
        [...columns, body, this.#channel, payload],
        SQL.PREPARED,
      );
    } catch (error) {
      const key = meta.idempotencyKey;
      if (key !== undefined && codeOf(error) === UNIQUE_VIOLATION) {
        await this.#refuseUsedKey(record.user, key);
      }
      throw error;
    }
    return inserted;
  }

  async #refuseUsedKey(user: string, key: string): Promise<void> {
    const existing = await this.findByIdempotencyKey(user, key);
    if (existing === undefined) return;
    throw new Error(
      `Cannot insert job: idempotency key "${key}" of user "${user}" ` +
        `already belongs to job "${existing.id}"`,
    );
  }

  async findByIdempotencyKey(user: string, key: string): Promise<Job | undefined> {
    this.#assertOpen();
    const [row] = await this.#sql.unsafe<PgJobRow[]>(
      `SELECT ${SQL.ROW_COLUMNS} FROM jobs WHERE "user" = $1 AND idempotency_key = $2`,
      [user, key],
      SQL.PREPARED,
    ).catch(this.#failed("find job by idempotency key"));
    return row === undefined ? undefined : JSON.parse(row.body);
  }

  async get(id: string): Promise<PgStoredJob | undefined> {
    this.#assertOpen();
    const seq = seqOf(id);
    if (seq === undefined) return undefined;
    const [row] = await this.#sql.unsafe<PgJobRow[]>(
      `SELECT ${SQL.ROW_COLUMNS} FROM jobs WHERE seq = $1`,
      [seq],
      SQL.PREPARED,
    ).catch(this.#failed(`get job "${id}"`));
    return row === undefined ? undefined : storedOf(row);
  }

  async getVisible(user: string, id: string, fields?: readonly string[]): Promise<Job | undefined> {
    const job = (await this.get(id))?.job;
    if (job === undefined || (user !== "*" && job.user !== user)) return undefined;
    return pickFields(job, fields);
  }

  async list(user: string, filter: JobFilter = {}, fields?: readonly string[]): Promise<Job[]> {
    return (await this.#select({ user }, filter)).map((row) => pickFields(jobOf(row), fields));
  }

  /** The jobs of one plugin instance on this node (its peers' instances drive theirs). */
  async listByInstance(instanceKey: string, filter: JobFilter = {}): Promise<Job[]> {
    return (await this.#select({ instanceKey, node: this.#nodeId }, filter)).map(jobOf);
  }

  async liveJobs(instanceKey?: string): Promise<Job[]> {
    const scope = instanceKey === undefined ? {} : { instanceKey };
    return (await this.#select(scope, { statuses: LIVE_STATUSES })).map(jobOf);
  }

  /** This node's live jobs, grouped by the instance that owns them, in ID order. */
  async liveJobsByInstance(): Promise<Map<string, Job[]>> {
    const byKey = new Map<string, Job[]>();
    for (const { job, instanceKey } of await this.jobsOfNode(this.#nodeId, { live: true })) {
      const jobs = byKey.get(instanceKey);
      if (jobs) jobs.push(job);
      else byKey.set(instanceKey, [job]);
    }
    return byKey;
  }

  /** Jobs inserted through `nodeId`, those not in a terminal status only when `live`. */
  async jobsOfNode(nodeId: string, options: { live?: boolean } = {}): Promise<PgStoredJob[]> {
    this.#assertOpen();
    const statuses = options.live ? LIVE_STATUSES : JOB_STATUSES;
    const rows = await this.#sql.unsafe<PgJobRow[]>(
      `SELECT ${SQL.ROW_COLUMNS} FROM jobs WHERE node_id = $1 AND status = ANY($2::text[])
        ORDER BY seq`,
      [nodeId, [...statuses]],
      SQL.PREPARED,
    ).catch(this.#failed(`list jobs of node "${nodeId}"`));
    return rows.map(storedOf);
  }

  /**
   * Jobs of `nodeId` in status `Failed` with the status message `message`, last updated at
   * or after `sinceMs` (the jobs a survivor failed over from one of its incarnations).
   */
  async failedJobsOfNode(
    nodeId: string,
    message: string,
    sinceMs: number,
  ): Promise<PgStoredJob[]> {
    this.#assertOpen();
    const rows = await this.#sql.unsafe<PgJobRow[]>(
      `SELECT ${SQL.ROW_COLUMNS} FROM jobs WHERE node_id = $1 AND status = 'Failed'
        AND update_ms >= $2 AND (body::jsonb ->> 'statusMessage') = $3 ORDER BY seq`,
      [nodeId, sinceMs, message],
      SQL.PREPARED,
    ).catch(this.#failed(`list failed jobs of node "${nodeId}"`));
    return rows.map(storedOf);
  }

  /**
   * Moves a job from node `from` to node `to`; `false` when it is gone or no longer
   * `from`'s (so two claimants cannot both take it).
   */
  async reassign(id: string, from: string, to: string): Promise<boolean> {
    this.#assertOpen();
    const seq = seqOf(id);
    if (seq === undefined) return false;
    const rows = await this.#sql`UPDATE jobs SET node_id = ${to}
      WHERE seq = ${seq} AND node_id = ${from} RETURNING seq`.catch(
      this.#failed(`reassign job "${id}"`),
    );
    return rows.length === 1;
  }

  async #select(scope: JobScope, filter: JobFilter): Promise<PgJobRow[]> {
    this.#assertOpen();
    const query = listingQuery(scope, filter);
    return await this.#sql.unsafe<PgJobRow[]>(query.text, query.params)
      .catch(this.#failed("list jobs"));
  }

  async update(id: string, change: JobUpdate): Promise<JobUpdateResult | undefined> {
    this.#assertOpen();
    const seq = seqOf(id);
    if (seq === undefined) return undefined;
    const outcome = await this.#sql.begin((tx) =>
      mergeAndWrite(tx, seq, change, {
        now: this.#clock.now().getTime(),
        channel: this.#channel,
        payloadOf: this.#payloadOf,
      })
    ).catch(this.#failed(`update job "${id}"`));
    this.health.committed();
    if (outcome?.changeSeq !== undefined) {
      const job = outcome.result.job;
      await this.#feed.deliverOwn(seq, outcome.changeSeq, job, OWN_NOTIFICATION_WAIT_MS);
    }
    return outcome?.result;
  }

  async remove(id: string): Promise<boolean> {
    this.#assertOpen();
    const seq = seqOf(id);
    if (seq === undefined) return false;
    const rows = await this.#sql.unsafe(SQL.REMOVE_JOB, [this.#channel, seq], SQL.PREPARED)
      .catch(this.#failed(`remove job "${id}"`));
    this.health.committed();
    if (rows.length === 0) return false;
    await this.#feed.delivered(seq, "removed", OWN_NOTIFICATION_WAIT_MS);
    return true;
  }

  async expire(): Promise<string[]> {
    this.#assertOpen();
    const cutoff = this.#clock.now().getTime() - this.#expiryMs;
    const rows = await this.#sql.unsafe(SQL.REMOVE_EXPIRED, [
      this.#channel,
      [...TERMINAL_STATUSES],
      cutoff,
    ]).catch(this.#failed("expire jobs"));
    const seqs = rows.map((row) => Number(row.seq));
    const before = new Date(Date.now() - HISTORY_RETENTION_MS);
    for (const prune of SQL.PRUNE_HISTORY) {
      await this.#sql.unsafe(prune, [before]).catch(this.#failed("prune job history"));
    }
    await Promise.all(
      seqs.map((seq) => this.#feed.delivered(seq, "removed", OWN_NOTIFICATION_WAIT_MS)),
    );
    return seqs.map(String);
  }

  subscribe(listener: (job: Job) => void): () => void {
    return this.#feed.changes.add(listener);
  }

  subscribeRemovals(listener: (removed: StoredJob) => void): () => void {
    return this.#feed.removals.add(listener);
  }

  async countByStatus(): Promise<Record<JobStatus, number>> {
    this.#assertOpen();
    const counts = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
    const rows = await this.#sql`SELECT status, count(*) AS n FROM jobs GROUP BY status`
      .catch(this.#failed("count jobs"));
    for (const { status, n } of rows) if (status in counts) counts[status as JobStatus] = Number(n);
    return counts;
  }

  /** Stops listening and closes the connections; later calls reject. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#feed.stop();
    await this.#sql.end({ timeout: 5 });
    await this.#leaseSql.end({ timeout: 5 });
    this.#stopCatching();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /**
   * Turns a database error into one naming the action and the store (see `dbError`), and
   * records it in {@linkcode health} unless it only refused this request.
   */
  #failed(action: string): (error: unknown) => never {
    return (error) => {
      const failure = dbError(action, this.#where, error);
      if (failure !== error && isStoreFailure(error)) this.health.failed("query", failure.message);
      throw failure;
    };
  }

  readonly #payloadOf = (seq: number, changeSeq: number, body: string): Promise<string> =>
    changePayload(this.#signer!, seq, changeSeq, body);

  #assertOpen(): void {
    if (this.#closed) throw new Error(`Cannot use job store ${this.#where}: it is closed`);
  }
}

function codeOf(error: unknown): string | undefined {
  return (error as { code?: string } | null)?.code;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
