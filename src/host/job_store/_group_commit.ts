import type { StatementSync } from "node:sqlite";

/** The statements a {@linkcode GroupCommit} runs. */
export interface GroupCommitStatements {
  begin: StatementSync;
  commit: StatementSync;
  rollback: StatementSync;
}

type Waiter = { resolve(): void; reject(error: unknown): void };

/**
 * One transaction per event-loop turn: the first write of a turn opens it, a zero-delay
 * timer commits it once the turn's other work (every request already read) has run. Work
 * that must not happen before the commit, acknowledging a job or telling subscribers,
 * waits for {@linkcode committed} or goes in {@linkcode afterCommit}; a read that must see
 * only committed versions goes in {@linkcode whenSettled}. A failed commit rolls the whole
 * batch back and rejects everyone waiting on it.
 */
export class GroupCommit {
  readonly #s: GroupCommitStatements;
  readonly #onRollback: () => void;
  #failure: string | undefined;
  #open = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #waiters: Waiter[] = [];
  #after: (() => void)[] = [];
  #settled: (() => void)[] = [];

  /** `onRollback` is told when a batch was rolled back (to drop what it cached). */
  constructor(statements: GroupCommitStatements, onRollback: () => void) {
    this.#s = statements;
    this.#onRollback = onRollback;
  }

  /** Whether a batch is open (writes now join it). */
  get open(): boolean {
    return this.#open;
  }

  /** Opens this turn's batch unless one is open. */
  join(): void {
    if (this.#open) return;
    this.#s.begin.run();
    this.#open = true;
    this.#timer = setTimeout(() => this.flush(), 0);
  }

  /** Runs `work` after the open batch commits (not at all if it rolls back), or now. */
  afterCommit(work: () => void): void {
    if (this.#open) this.#after.push(work);
    else work();
  }

  /**
   * Runs `read` now when no batch is open, else right after the open batch commits or rolls
   * back, before anything else can write: it sees exactly what is on disk.
   */
  whenSettled(read: () => void): void {
    if (this.#open) this.#settled.push(read);
    else read();
  }

  /** Why the last commit failed, until one succeeds again. */
  get failure(): string | undefined {
    return this.#failure;
  }

  /** Settles once every write made so far is committed; rejects when its commit failed. */
  committed(): Promise<void> {
    if (!this.#open) return Promise.resolve();
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  /** Commits the open batch now (the timer does it otherwise). */
  flush(): void {
    if (!this.#open) return;
    clearTimeout(this.#timer);
    const waiters = this.#waiters;
    const after = this.#after;
    const settled = this.#settled;
    this.#waiters = [];
    this.#after = [];
    this.#settled = [];
    this.#open = false;
    try {
      this.#s.commit.run();
    } catch (error) {
      this.#failure = (error as Error).message;
      this.#rollBack();
      for (const read of settled) read();
      const failed = new Error(`Cannot commit job store writes: ${(error as Error).message}`, {
        cause: error,
      });
      for (const waiter of waiters) waiter.reject(failed);
      return;
    }
    this.#failure = undefined;
    for (const work of after) work();
    for (const read of settled) read();
    for (const waiter of waiters) waiter.resolve();
  }

  #rollBack(): void {
    try {
      this.#s.rollback.run();
    } catch {
      // SQLite may already have rolled the transaction back
    }
    this.#onRollback();
  }
}
