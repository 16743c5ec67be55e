import type { Job, JobFilter, JobStatus, JobUpdate } from "../../sdk/mod.ts";
import type { JobMeta, JobUpdateResult, StoredJob } from "./job_store.ts";

/**
 * The job store as the host uses it, whether it lives in this process (SQLite) or another
 * (PostgreSQL): {@linkcode JobStore}'s operations, each read and write a promise. The
 * semantics are JobStore's: IDs are decimal sequence numbers never reused; reads answer
 * only committed versions (a host killed after answering cannot take one back); `"*"` sees every
 * user's jobs and any other user only their own; listings are in ID order; `update` merges
 * only `JobUpdate` fields and never lets a terminal status change; `expire` deletes terminal
 * jobs older than the expiry. A write's promise resolves once the write is committed and
 * its subscribers were told, so nothing is acknowledged that the store could still lose.
 *
 * Implemented by `PostgresJobStore` (`./postgres/`) and, over the synchronous SQLite
 * store, by {@linkcode asyncJobStore}.
 */
export interface AsyncJobStore extends AsyncDisposable {
  /** This node's name when the store is shared by several nodes; absent for one node. */
  readonly nodeId?: string;
  /** Stores a new job and returns it with its ID; throws when the idempotency key is used. */
  insert(draft: Omit<Job, "id">, meta: JobMeta): Promise<Job>;
  /** The job `user` submitted with this idempotency key, if any. */
  findByIdempotencyKey(user: string, key: string): Promise<Job | undefined>;
  /** A job and its owner instance, whoever the user. */
  get(id: string): Promise<StoredJob | undefined>;
  /** The job if `user` may see it, reduced to `fields` (plus `id`) when given. */
  getVisible(user: string, id: string, fields?: readonly string[]): Promise<Job | undefined>;
  /**
   * `getVisible` answered at once, by a store that can (in this process): `null` when it
   * cannot now (a write waits for its commit, so only `getVisible` may answer, after it).
   */
  peekVisible?(user: string, id: string, fields?: readonly string[]): Job | undefined | null;
  /** The jobs `user` may see that match `filter`, in ID order, reduced to `fields`. */
  list(user: string, filter?: JobFilter, fields?: readonly string[]): Promise<Job[]>;
  /** The jobs of one plugin instance (on this node) that match `filter`, in ID order. */
  listByInstance(instanceKey: string, filter?: JobFilter): Promise<Job[]>;
  /** Jobs not in a terminal status, of one instance or of all, in ID order. */
  liveJobs(instanceKey?: string): Promise<Job[]>;
  /**
   * This node's jobs not in a terminal status, grouped by the instance that owns them, in
   * ID order: what the node's plugin instances recover after a restart.
   */
  liveJobsByInstance(): Promise<Map<string, Job[]>>;
  /** Merges a plugin's change; `undefined` when the job does not exist. */
  update(id: string, change: JobUpdate): Promise<JobUpdateResult | undefined>;
  /** Deletes a job; whether it existed. */
  remove(id: string): Promise<boolean>;
  /** Deletes terminal jobs older than the expiry and returns their IDs. */
  expire(): Promise<string[]>;
  /**
   * Calls `listener` with a frozen copy of each new job and each change of a job's `status`
   * or `statusMessage`, per job in the order they were committed, each once.
   */
  subscribe(listener: (job: Job) => void): () => void;
  /** Calls `listener` with each job deleted by `remove` or `expire`. */
  subscribeRemovals(listener: (removed: StoredJob) => void): () => void;
  /** How many jobs are in each status (every status present, zero when none). */
  countByStatus(): Promise<Record<JobStatus, number>>;
  /** Releases the store; later calls reject. Closing twice is harmless. */
  close(): Promise<void>;
  /** Why the last commit failed, while no later one has succeeded (for `/health`). */
  readonly commitFailure?: string | undefined;
}

/** The synchronous SQLite store seen through {@linkcode AsyncJobStore}. */
export interface SyncJobStore extends Disposable {
  insert(draft: Omit<Job, "id">, meta: JobMeta): Job;
  findByIdempotencyKey(user: string, key: string): Job | undefined;
  get(id: string): StoredJob | undefined;
  getVisible(user: string, id: string, fields?: readonly string[]): Job | undefined;
  list(user: string, filter?: JobFilter, fields?: readonly string[]): Job[];
  listByInstance(instanceKey: string, filter?: JobFilter): Job[];
  liveJobs(instanceKey?: string): Job[];
  liveJobsByInstance(): Map<string, Job[]>;
  update(id: string, change: JobUpdate): JobUpdateResult | undefined;
  remove(id: string): boolean;
  expire(): string[];
  subscribe(listener: (job: Job) => void): () => void;
  subscribeRemovals(listener: (removed: StoredJob) => void): () => void;
  countByStatus(): Record<JobStatus, number>;
  /** Settles once every write made so far is committed (group commit); rejects if rolled back. */
  committed(): Promise<void>;
  /** `read` run against committed versions only (after the open group commit, if any). */
  readCommitted<T>(read: () => T): Promise<T>;
  /** Whether a write made so far still waits for its commit (reads must wait for it too). */
  readonly hasUncommitted: boolean;
  close(): void;
}

/**
 * Wraps a synchronous store (the SQLite `JobStore`) as an {@linkcode AsyncJobStore}: each
 * write runs at once and its promise waits for `committed()`, so writes made in one
 * event-loop turn still share one group commit and none is acknowledged before it is on
 * disk. Reads run once the writes before them are committed (`readCommitted`): a GetJob
 * never shows a version that a SIGKILL of the host could still take back.
 */
export function asyncJobStore(store: SyncJobStore): AsyncJobStore {
  const run = <T>(work: () => T): Promise<T> => {
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(error);
    }
  };
  const write = <T>(work: () => T): Promise<T> =>
    run(work).then((result) => store.committed().then(() => result));
  const read = <T>(work: () => T): Promise<T> => store.readCommitted(work);
  return {
    insert: (draft, meta) => write(() => store.insert(draft, meta)),
    findByIdempotencyKey: (user, key) => read(() => store.findByIdempotencyKey(user, key)),
    get: (id) => read(() => store.get(id)),
    getVisible: (user, id, fields) => read(() => store.getVisible(user, id, fields)),
    peekVisible: (user, id, fields) =>
      store.hasUncommitted ? null : store.getVisible(user, id, fields),
    list: (user, filter, fields) => read(() => store.list(user, filter, fields)),
    listByInstance: (key, filter) => read(() => store.listByInstance(key, filter)),
    liveJobs: (key) => read(() => store.liveJobs(key)),
    liveJobsByInstance: () => read(() => store.liveJobsByInstance()),
    update: (id, change) => write(() => store.update(id, change)),
    remove: (id) => write(() => store.remove(id)),
    expire: () => write(() => store.expire()),
    subscribe: (listener) => store.subscribe(listener),
    subscribeRemovals: (listener) => store.subscribeRemovals(listener),
    countByStatus: () => read(() => store.countByStatus()),
    close: () => run(() => store.close()),
    [Symbol.asyncDispose]: () => run(() => store.close()),
  };
}
