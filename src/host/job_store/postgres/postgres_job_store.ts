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
import { checkMeta, pickFields, recordOf, seqOf } from "../_rows.ts";
import type { JobMeta, JobUpdateResult, StoredJob } from "../job_store.ts";
import type { AsyncJobStore } from "../store_interface.ts";
import { ChangeFeed } from "./_change_feed.ts";
import { changePayload } from "./_change_note.ts";
import { channelOf, connect, dbError, ensureSchema } from "./_connect.ts";
import { InsertBatcher } from "./_insert_batch.ts";
import {
  countStatuses,
  reassignJob,
  selectByKey,
  selectFailedOfNode,
  selectJob,
  selectListing,
  selectOfNode,
} from "./_job_queries.ts";
import { mergeAndWrite } from "./_merge_write.ts";
import { checkedTarget, type PostgresJobStoreOptions } from "./_store_options.ts";
import { HISTORY_RETENTION_MS, OWN_NOTIFICATION_WAIT_MS } from "./constants.ts";
import { pruneHistory, removeExpired, removeJob } from "./_removals.ts";
import { migrate } from "./_schema.ts";
import { PayloadSigner } from "./_signer.ts";
import { isStoreFailure, StoreHealth } from "./store_health.ts";
import { catchDriverRejections } from "./_driver_rejections.ts";
import { jobOf, type PgJobRow, type PgStoredJob } from "./_statements.ts";

export type { PgStoredJob } from "./_statements.ts";
export type { PostgresJobStoreOptions } from "./_store_options.ts";

const LIVE_STATUSES = JOB_STATUSES.filter((status) => !isTerminalStatus(status));
const HOUR_MS = 3_600_000;

/**
 * The job store on PostgreSQL, shared by every Launcher node of a load-balanced cluster:
 * the SQLite store's semantics (see {@linkcode AsyncJobStore}) with IDs from one sequence,
 * so unique across nodes, and subscribers told about every node's changes through
 * LISTEN/NOTIFY ({@linkcode ChangeFeed}).
 */
export class PostgresJobStore implements AsyncJobStore {
  /** The connection pool, for the node registry and tests. */
  readonly sql: Sql;
  /** A connection of its own for this node's lease (`NodeRegistry`'s `leaseSql`). */
  readonly leaseSql: Sql;
  /** The store's URL without its password, to name it in messages. */
  readonly where: string;
  /** The node name this store records on the jobs it inserts. */
  readonly nodeId: string;
  /** The NOTIFY channel of node-to-node calls (`NodeChannel`) for this store's schema. */
  readonly callChannel: string;
  readonly #channel: string;
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
    this.sql = sql;
    this.leaseSql = leaseSql;
    this.where = where;
    this.#channel = channelOf(schema);
    this.callChannel = `${this.#channel}_calls`;
    this.nodeId = options.nodeId;
    this.#expiryMs = options.expiryHours * HOUR_MS;
    this.#clock = options.clock ?? { now: () => new Date() };
    this.#feed = new ChangeFeed(sql, this.#channel, options.onListenerError ?? (() => {}));
    this.#batcher = new InsertBatcher(sql, {
      channel: this.#channel,
      nodeId: this.nodeId,
      payloadOf: this.#payloadOf,
    });
  }

  /** Connects, creates or migrates the schema, and starts listening for changes. */
  static async open(options: PostgresJobStoreOptions): Promise<PostgresJobStore> {
    const { where, schema, target } = checkedTarget(options);
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
      throw new Error(
        `Cannot open job store ${where}: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
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

  async findByIdempotencyKey(user: string, key: string): Promise<Job | undefined> {
    this.#assertOpen();
    return await selectByKey(this.sql, user, key)
      .catch(this.#failed("find job by idempotency key"));
  }

  async get(id: string): Promise<PgStoredJob | undefined> {
    this.#assertOpen();
    const seq = seqOf(id);
    if (seq === undefined) return undefined;
    return await selectJob(this.sql, seq).catch(this.#failed(`get job "${id}"`));
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
    return (await this.#select({ instanceKey, node: this.nodeId }, filter)).map(jobOf);
  }

  async liveJobs(instanceKey?: string): Promise<Job[]> {
    const scope = instanceKey === undefined ? {} : { instanceKey };
    return (await this.#select(scope, { statuses: LIVE_STATUSES })).map(jobOf);
  }

  /** This node's live jobs, grouped by the instance that owns them, in ID order. */
  async liveJobsByInstance(): Promise<Map<string, Job[]>> {
    const byKey = Map.groupBy(
      await this.jobsOfNode(this.nodeId, { live: true }),
      (s) => s.instanceKey,
    );
    return new Map([...byKey].map(([key, stored]) => [key, stored.map((s) => s.job)]));
  }

  /** Jobs inserted through `nodeId`, those not in a terminal status only when `live`. */
  async jobsOfNode(nodeId: string, options: { live?: boolean } = {}): Promise<PgStoredJob[]> {
    this.#assertOpen();
    return await selectOfNode(this.sql, nodeId, options.live ? LIVE_STATUSES : JOB_STATUSES)
      .catch(this.#failed(`list jobs of node "${nodeId}"`));
  }

  /**
   * Jobs of `nodeId` in status `Failed` with the status message `message`, last updated at
   * or after `sinceMs` (the jobs a survivor failed over from one of its incarnations).
   */
  async failedJobsOfNode(
    nodeId: string,
    o: { message: string; sinceMs: number },
  ): Promise<PgStoredJob[]> {
    this.#assertOpen();
    return await selectFailedOfNode(this.sql, nodeId, o)
      .catch(this.#failed(`list failed jobs of node "${nodeId}"`));
  }

  /**
   * Moves a job from node `from` to node `to`; `false` when it is gone or no longer
   * `from`'s (so two claimants cannot both take it).
   */
  async reassign(id: string, from: string, to: string): Promise<boolean> {
    this.#assertOpen();
    const seq = seqOf(id);
    if (seq === undefined) return false;
    return await reassignJob(this.sql, seq, { from, to })
      .catch(this.#failed(`reassign job "${id}"`));
  }

  async #select(scope: JobScope, filter: JobFilter): Promise<PgJobRow[]> {
    this.#assertOpen();
    return await selectListing(this.sql, scope, filter).catch(this.#failed("list jobs"));
  }

  async update(id: string, change: JobUpdate): Promise<JobUpdateResult | undefined> {
    this.#assertOpen();
    const seq = seqOf(id);
    if (seq === undefined) return undefined;
    const outcome = await this.sql.begin((tx) =>
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
    const removed = await removeJob(this.sql, this.#channel, seq)
      .catch(this.#failed(`remove job "${id}"`));
    this.health.committed();
    if (!removed) return false;
    await this.#feed.delivered(seq, "removed", OWN_NOTIFICATION_WAIT_MS);
    return true;
  }

  async expire(): Promise<string[]> {
    this.#assertOpen();
    const cutoff = this.#clock.now().getTime() - this.#expiryMs;
    const seqs = await removeExpired(this.sql, this.#channel, cutoff)
      .catch(this.#failed("expire jobs"));
    await pruneHistory(this.sql, new Date(Date.now() - HISTORY_RETENTION_MS))
      .catch(this.#failed("prune job history"));
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
    return await countStatuses(this.sql).catch(this.#failed("count jobs"));
  }

  /** Stops listening and closes the connections; later calls reject. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // Side by side, each bounded: after 5 s the driver destroys the connections.
    const ends = [this.sql.end({ timeout: 5 }), this.leaseSql.end({ timeout: 5 })];
    await Promise.all([this.#feed.stop(), ...ends]);
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
      const failure = dbError(action, this.where, error);
      if (failure !== error && isStoreFailure(error)) this.health.failed("query", failure.message);
      throw failure;
    };
  }

  readonly #payloadOf = (seq: number, changeSeq: number, body: string): Promise<string> =>
    changePayload(this.#signer!, seq, changeSeq, body);

  #assertOpen(): void {
    if (this.#closed) throw new Error(`Cannot use job store ${this.where}: it is closed`);
  }
}
