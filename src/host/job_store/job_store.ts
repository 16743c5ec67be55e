import type { DatabaseSync, StatementSync } from "node:sqlite";
import {
  isTerminalStatus,
  type Job,
  JOB_STATUSES,
  type JobFilter,
  type JobStatus,
  type JobUpdate,
} from "../../sdk/mod.ts";
import { JobCache } from "./_cache.ts";
import { GroupCommit } from "./_group_commit.ts";
import { deepFreeze, Listeners } from "./_listeners.ts";
import { JobQueries } from "./_query.ts";
import {
  checkMeta,
  copyData,
  formatTime,
  jobOf,
  type JobRecord,
  type JobRow,
  pickFields,
  recordOf,
  seqOf,
} from "./_rows.ts";
import { type JobStoreDurability, openJobDatabase, type Rekey } from "./_schema.ts";
import { mergeUpdate } from "./_update.ts";
import { prepareStatements, type Statements } from "./_statements.ts";

export type { JobStoreDurability } from "./_schema.ts";

/** Options for {@linkcode JobStore.open}. */
export interface JobStoreOptions {
  /** Hours after its last update that `expire()` removes a job in a terminal status. */
  expiryHours: number;
  /** Stamps `lastUpdateTime` and drives expiry; defaults to the system clock. */
  clock?: { now(): Date };
  /**
   * `"process"` (default): WAL with `synchronous=NORMAL`; an acknowledged write survives the
   * host being killed (SIGKILL included) but not an OS crash. `"power"`: `synchronous=FULL`,
   * also survives power loss, at one fsync per write.
   */
  durability?: JobStoreDurability;
  /**
   * The instance key of a user's jobs; a store written with version 1 keys is re-keyed
   * with it when opened (and refused without it).
   */
  rekey?: Rekey;
  /** Told about errors thrown by subscribers; they never reach the writer. */
  onListenerError?: (error: unknown) => void;
  /**
   * Commit the writes of one event-loop turn together (default false: one commit per
   * write). Writes are then durable only once {@linkcode JobStore.committed} settles, and
   * subscribers hear of changes after that commit.
   */
  groupCommit?: boolean;
}

/** Where a job lives: the plugin and instance that own it. */
export interface JobMeta {
  instanceKey: string;
  plugin: string;
  /** A submit key unique per user; a repeat submit finds the job it made. */
  idempotencyKey?: string;
}

/** A job with the plugin instance that owns it. */
export interface StoredJob {
  job: Job;
  instanceKey: string;
  plugin: string;
  /** The node that drives the job, when the store is shared by several nodes. */
  node?: string;
}

/**
 * What `update` did. `changed` says whether anything was written; `rejected` says why the
 * whole change was refused (a status that may not follow the current one), in which case
 * `job` is the unchanged job.
 */
export interface JobUpdateResult {
  job: Job;
  changed: boolean;
  rejected?: string;
}

const LIVE_STATUSES = JOB_STATUSES.filter((status) => !isTerminalStatus(status));
const TERMINAL_STATUSES = JOB_STATUSES.filter(isTerminalStatus);
const HOUR_MS = 3_600_000;

/**
 * The host's job store: every job of every plugin in one SQLite file (docs/architecture.md). Assigns
 * IDs ("1", "2", …, never reused), serves visibility-checked reads and filtered listings,
 * merges plugin updates without letting a terminal status change, expires old terminal jobs,
 * and tells subscribers about new jobs and status changes after each commit.
 */
export class JobStore implements Disposable {
  readonly #db: DatabaseSync;
  readonly #path: string;
  readonly #statements: Statements;
  readonly #cache = new JobCache<StoredJob>();
  readonly #queries: JobQueries;
  readonly #expiryMs: number;
  readonly #clock: { now(): Date };
  readonly #changes: Listeners<Job>;
  readonly #removals: Listeners<StoredJob>;
  readonly #group: GroupCommit | undefined;
  #closed = false;
  #commitFailure: string | undefined;

  private constructor(db: DatabaseSync, path: string, options: JobStoreOptions) {
    this.#db = db;
    this.#path = path;
    this.#statements = prepareStatements(db);
    this.#queries = new JobQueries(db);
    this.#expiryMs = options.expiryHours * HOUR_MS;
    this.#clock = options.clock ?? { now: () => new Date() };
    const onError = options.onListenerError ?? (() => {});
    this.#changes = new Listeners(onError);
    this.#removals = new Listeners(onError);
    // A rolled-back batch leaves cached jobs that were never committed: drop them all.
    this.#group = options.groupCommit
      ? new GroupCommit(this.#statements, () => this.#cache.clear())
      : undefined;
  }

  /** Opens the store in `path` (a file, or `":memory:"`), creating its schema if needed. */
  static open(path: string, options: JobStoreOptions): JobStore {
    const hours = options.expiryHours;
    if (typeof hours !== "number" || !(hours >= 0) || hours === Infinity) {
      throw new RangeError(`Cannot open job store "${path}": expiryHours ${hours} is not >= 0`);
    }
    const db = openJobDatabase(path, options.durability ?? "process", options.rekey);
    return new JobStore(db, path, options);
  }

  /**
   * Stores a new job and returns it with its assigned ID. `user` and `status` are required;
   * `submissionTime` defaults to now and `lastUpdateTime` to `submissionTime`; fields the
   * store does not know are kept. Throws when the idempotency key is already used. The job
   * returned is the stored version, frozen (the draft is copied, not frozen).
   */
  insert(draft: Omit<Job, "id">, meta: JobMeta): Job {
    this.#assertOpen();
    checkMeta(meta);
    const record = recordOf(draft, this.#clock.now().getTime());
    const key = meta.idempotencyKey;
    const existing = key === undefined ? undefined : this.findByIdempotencyKey(record.user, key);
    if (existing !== undefined) {
      throw new Error(
        `Cannot insert job: idempotency key "${key}" of user "${record.user}" ` +
          `already belongs to job "${existing.id}"`,
      );
    }
    const job = this.#transaction(() => this.#write(record, meta), record.tags.length > 0);
    // Kept frozen: readers, subscribers and the caller share this one version.
    const { instanceKey, plugin } = meta;
    this.#cache.set(job.id, { job, instanceKey, plugin });
    this.#afterCommit(() => this.#changes.emit(job));
    return job;
  }

  /**
   * Settles once every write made so far is committed (at once without `groupCommit`);
   * rejects when that commit failed and the writes were rolled back. Acknowledge nothing
   * written before it settles.
   */
  committed(): Promise<void> {
    return this.#group?.committed() ?? Promise.resolve();
  }

  /** Whether a write made so far still waits for its commit (a read now would see it). */
  get hasUncommitted(): boolean {
    return this.#group?.open ?? false;
  }

  /**
   * Runs `read` against committed versions only: at once when no write is waiting for its
   * commit (always without `groupCommit`), else right after that commit (or its rollback),
   * before any later write. What it answers is on disk, so a host killed next cannot
   * take back a version a reader was shown.
   */
  readCommitted<T>(read: () => T): Promise<T> {
    const group = this.#group;
    if (!group?.open) return settle(read);
    return new Promise<T>((resolve, reject) =>
      group.whenSettled(() => settle(read).then(resolve, reject))
    );
  }

  #write(record: JobRecord, meta: JobMeta): Job {
    const { seq } = this.#statements.nextSeq.get() as { seq: number };
    const job = { id: String(seq), ...record.job } as Job;
    this.#statements.insertJob.run(
      seq,
      record.user,
      record.status,
      record.submissionMs,
      record.updateMs,
      meta.instanceKey,
      meta.plugin,
      meta.idempotencyKey ?? null,
      JSON.stringify(job),
    );
    for (const tag of record.tags) this.#statements.insertTag.run(tag, seq);
    return job;
  }

  /** The job `user` submitted with this idempotency key, if any. */
  findByIdempotencyKey(user: string, key: string): Job | undefined {
    return this.#one(this.#statements.selectByIdempotencyKey, user, key)?.job;
  }

  /** A job and its owner instance, whoever the user. */
  get(id: string): StoredJob | undefined {
    const cached = this.#cache.get(id);
    if (cached) return cached;
    const seq = seqOf(id);
    const stored = seq === undefined ? undefined : this.#one(this.#statements.selectBySeq, seq);
    return stored && this.#cache.set(id, stored);
  }

  /**
   * The job if `user` may see it (`"*"` sees all, others their own), reduced to `fields`
   * (plus `id`) when given.
   */
  getVisible(user: string, id: string, fields?: readonly string[]): Job | undefined {
    const job = this.get(id)?.job;
    if (job === undefined || (user !== "*" && job.user !== user)) return undefined;
    return pickFields(job, fields);
  }

  /** The jobs `user` may see that match `filter`, in ID order, reduced to `fields` if given. */
  list(user: string, filter: JobFilter = {}, fields?: readonly string[]): Job[] {
    this.#assertOpen();
    return this.#queries.select({ user }, filter).map((row) => pickFields(jobOf(row), fields));
  }

  /** The jobs of one plugin instance that match `filter`, in ID order. */
  listByInstance(instanceKey: string, filter: JobFilter = {}): Job[] {
    this.#assertOpen();
    return this.#queries.select({ instanceKey }, filter).map(jobOf);
  }

  /** Jobs not in a terminal status, of one instance or of all, in ID order. */
  liveJobs(instanceKey?: string): Job[] {
    this.#assertOpen();
    const scope = instanceKey === undefined ? {} : { instanceKey };
    return this.#queries.select(scope, { statuses: LIVE_STATUSES }).map(jobOf);
  }

  /** Jobs not in a terminal status, grouped by the instance that owns them, in ID order. */
  liveJobsByInstance(): Map<string, Job[]> {
    this.#assertOpen();
    const byKey = new Map<string, Job[]>();
    for (const row of this.#queries.select({}, { statuses: LIVE_STATUSES })) {
      const key = row[1];
      const jobs = byKey.get(key);
      if (jobs) jobs.push(jobOf(row));
      else byKey.set(key, [jobOf(row)]);
    }
    return byKey;
  }

  /**
   * Merges the fields a plugin may change (`JobUpdate`; other keys are ignored) into a job,
   * stamps `lastUpdateTime` when something changed, and notifies subscribers when `status`
   * or `statusMessage` changed. `undefined` when the job does not exist. The job in the
   * result is the stored version, frozen.
   */
  update(id: string, change: JobUpdate): JobUpdateResult | undefined {
    const stored = this.get(id);
    if (stored === undefined) return undefined;
    const merge = mergeUpdate(stored.job, change);
    if (merge.kind === "rejected") {
      return { job: stored.job, changed: false, rejected: merge.reason };
    }
    if (merge.changed.length === 0) return { job: stored.job, changed: false };
    const job = merge.job as unknown as Record<string, unknown>;
    // The rest of the job is the frozen version before; what changed is copied, not frozen
    // in the caller's hands.
    for (const name of merge.changed) job[name] = copyData(job[name]);
    const now = this.#clock.now().getTime();
    job.lastUpdateTime = formatTime(now);
    this.#group?.join();
    const body = JSON.stringify(job);
    if (merge.changed.includes("status")) {
      this.#statements.updateJob.run(job.status as string, now, body, seqOf(id)!);
    } else this.#statements.updateJobBody.run(now, body, seqOf(id)!);
    const next = this.#cache.set(id, { ...stored, job: job as unknown as Job }).job;
    if (merge.changed.includes("status") || merge.changed.includes("statusMessage")) {
      this.#afterCommit(() => this.#changes.emit(next));
    }
    return { job: next, changed: true };
  }

  /** Deletes a job; whether it existed. */
  remove(id: string): boolean {
    const stored = this.get(id);
    if (stored === undefined) return false;
    this.#group?.join();
    this.#statements.deleteJob.run(seqOf(id)!);
    this.#cache.delete(id);
    const removed = deepFreeze(stored);
    this.#afterCommit(() => this.#removals.emit(removed));
    return true;
  }

  /**
   * Deletes the jobs in a terminal status last updated more than `expiryHours` ago
   * (`lastUpdateTime`, else `submissionTime`) and returns their IDs.
   */
  expire(): string[] {
    this.#assertOpen();
    const cutoff = this.#clock.now().getTime() - this.#expiryMs;
    const expired = this.#statements.selectExpired.all(...TERMINAL_STATUSES, cutoff) as unknown[];
    const stored = (expired as JobRow[]).map(storedOf);
    if (stored.length === 0) return [];
    this.#transaction(() => {
      for (const { job } of stored) {
        this.#statements.deleteJob.run(seqOf(job.id)!);
        this.#cache.delete(job.id);
      }
    });
    for (const removed of stored) {
      const frozen = deepFreeze(removed);
      this.#afterCommit(() => this.#removals.emit(frozen));
    }
    return stored.map(({ job }) => job.id);
  }

  /**
   * Calls `listener` after each commit that adds a job or changes a job's `status` or
   * `statusMessage`, with the stored version of the job (frozen). Returns the unsubscribe
   * function.
   */
  subscribe(listener: (job: Job) => void): () => void {
    return this.#changes.add(listener);
  }

  /** Calls `listener` with each job `remove` or `expire` deleted (to clean up its files). */
  subscribeRemovals(listener: (removed: StoredJob) => void): () => void {
    return this.#removals.add(listener);
  }

  /** How many jobs are in each status (every status present, zero when none). */
  countByStatus(): Record<JobStatus, number> {
    this.#assertOpen();
    const counts = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
    const rows = this.#statements.countByStatus.all() as { status: JobStatus; n: number }[];
    for (const { status, n } of rows) if (status in counts) counts[status] = n;
    return counts;
  }

  /**
   * Why the last commit failed (disk full, read-only file system, I/O error), until a
   * later one succeeds; `undefined` while writes commit.
   */
  get commitFailure(): string | undefined {
    return this.#group?.failure ?? this.#commitFailure;
  }

  /** Closes the database; later calls throw. Closing twice is harmless. */
  close(): void {
    if (this.#closed) return;
    this.#group?.flush();
    this.#closed = true;
    this.#db.close();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  #one(statement: StatementSync, ...params: (string | number)[]): StoredJob | undefined {
    this.#assertOpen();
    const row = statement.get(...params) as JobRow | undefined;
    return row === undefined ? undefined : storedOf(row);
  }

  #afterCommit(work: () => void): void {
    if (this.#group) this.#group.afterCommit(work);
    else work();
  }

  /**
   * `work` as one transaction, or one unit of this turn's batch. `several` says whether it
   * runs more than one write: a lone INSERT is atomic by itself and needs no savepoint.
   */
  #transaction<T>(work: () => T, several = true): T {
    if (this.#group && !several) {
      this.#group.join();
      return work();
    }
    if (this.#group) return this.#savepoint(work);
    this.#statements.begin.run();
    let result: T;
    try {
      result = work();
    } catch (error) {
      this.#statements.rollback.run();
      throw error;
    }
    try {
      this.#statements.commit.run();
    } catch (error) {
      this.#commitFailure = (error as Error).message;
      this.#statements.rollback.run();
      throw error;
    }
    this.#commitFailure = undefined;
    return result;
  }

  /** `work` as one unit inside this turn's batch: all of it or none of it. */
  #savepoint<T>(work: () => T): T {
    this.#group!.join();
    this.#statements.savepoint.run();
    try {
      const result = work();
      this.#statements.release.run();
      return result;
    } catch (error) {
      this.#statements.rollbackToSavepoint.run();
      this.#statements.release.run();
      throw error;
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error(`Cannot use job store "${this.#path}": it is closed`);
  }
}

/** `work`'s result or error as a promise. */
function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error);
  }
}

function storedOf(row: JobRow): StoredJob {
  return { job: jobOf(row), instanceKey: row[1], plugin: row[2] };
}
