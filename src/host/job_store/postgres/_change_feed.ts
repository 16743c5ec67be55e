import type { Sql } from "postgres";
import type { Job } from "../../../sdk/mod.ts";
import { deepFreeze, Listeners } from "../_listeners.ts";
import type { StoredJob } from "../job_store.ts";
import { SeenSet } from "./_seen.ts";
import {
  CATCH_UP_ATTEMPTS,
  CATCH_UP_MARGIN_MS,
  CATCH_UP_RETRY_MS,
  INLINE_BODY_BYTES,
} from "./constants.ts";

/** A status change notification: job, its change number, and its body when small. */
interface ChangeNote {
  j: number;
  c: number;
  b?: string;
}

/** A removal notification: job, owner, and its body when small. */
interface RemovalNote {
  r: number;
  i?: string;
  p?: string;
  b?: string;
}

/** The notification payload of a change (see {@linkcode ChangeFeed}). */
export function changePayload(jobSeq: number, changeSeq: number, body: string): string {
  const inline = new TextEncoder().encode(body).length <= INLINE_BODY_BYTES;
  return JSON.stringify(
    inline ? { j: jobSeq, c: changeSeq, b: body } : { j: jobSeq, c: changeSeq },
  );
}

/** SQL giving the notification payload of a removal from a deleted row named `d`. */
export const REMOVAL_PAYLOAD_SQL = `CASE WHEN octet_length(d.body) <= ${INLINE_BODY_BYTES}
  THEN json_build_object('r', d.seq, 'i', d.instance_key, 'p', d.plugin, 'b', d.body)
  ELSE json_build_object('r', d.seq) END::text`;

/**
 * Delivers every node's job changes to this node's subscribers through PostgreSQL's
 * LISTEN/NOTIFY. Each change carries its job's change number (`change_seq`); the feed keeps
 * the last number delivered per job, so it skips duplicates and, when a number jumps, first
 * fetches the missing changes from `job_changes`, in order. Notifications of one job arrive
 * in commit order, which is change order (an update holds the job's row lock). After a
 * reconnect it fetches what was recorded while it was away. All deliveries run through one
 * queue, so listeners see one job's changes in order.
 */
export class ChangeFeed {
  readonly #sql: Sql;
  readonly #channel: string;
  readonly #changes: Listeners<Job>;
  readonly #removals: Listeners<StoredJob>;
  readonly #onError: (error: unknown) => void;
  readonly #lastSeen = new Map<number, number>();
  readonly #removed = new SeenSet();
  readonly #waiters = new Map<string, () => void>();
  #queue: Promise<void> = Promise.resolve();
  #connectedAtMs: number | undefined;
  #unlisten: (() => Promise<void>) | undefined;
  #stopped = false;

  constructor(sql: Sql, channel: string, onError: (error: unknown) => void) {
    this.#sql = sql;
    this.#channel = channel;
    this.#onError = onError;
    this.#changes = new Listeners(onError);
    this.#removals = new Listeners(onError);
  }

  get changes(): Listeners<Job> {
    return this.#changes;
  }

  get removals(): Listeners<StoredJob> {
    return this.#removals;
  }

  /** Starts listening; resolves once the LISTEN is in place. */
  async start(): Promise<void> {
    const request = await this.#sql.listen(
      this.#channel,
      (payload) => this.#enqueue(() => this.#onNote(payload)),
      () => this.#enqueue(() => this.#onListen()),
    );
    this.#unlisten = () => request.unlisten();
    await this.#queue;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    const unlisten = this.#unlisten;
    this.#unlisten = undefined;
    for (const wake of this.#waiters.values()) wake();
    this.#waiters.clear();
    await unlisten?.().catch(() => {});
  }

  /**
   * Resolves once the feed has delivered change `changeSeq` of `jobSeq` (or removal, when
   * `changeSeq` is `"removed"`), or after `limitMs`, whichever comes first.
   */
  delivered(jobSeq: number, changeSeq: number | "removed", limitMs: number): Promise<void> {
    if (this.#isDelivered(jobSeq, changeSeq)) return Promise.resolve();
    const key = `${jobSeq}:${changeSeq}`;
    return new Promise((resolve) => {
      const timer = setTimeout(done, limitMs);
      const previous = this.#waiters.get(key);
      function done() {
        clearTimeout(timer);
        previous?.();
        resolve();
      }
      this.#waiters.set(key, () => done());
    });
  }

  #isDelivered(jobSeq: number, changeSeq: number | "removed"): boolean {
    if (changeSeq === "removed") return this.#removed.has(jobSeq);
    return (this.#lastSeen.get(jobSeq) ?? 0) >= changeSeq;
  }

  #wake(jobSeq: number, changeSeq: number | "removed"): void {
    const key = `${jobSeq}:${changeSeq}`;
    const wake = this.#waiters.get(key);
    if (wake === undefined) return;
    this.#waiters.delete(key);
    wake();
  }

  #enqueue(task: () => Promise<void>): void {
    this.#queue = this.#queue.then(task).catch((error) => this.#onError(error));
  }

  // Runs in the queue, so notifications that arrive meanwhile wait behind the catch-up.
  // Only a catch-up that succeeded moves the start of the next one forward.
  async #onListen(): Promise<void> {
    for (let attempt = 1;; attempt++) {
      try {
        const [row] = await this.#sql`SELECT (extract(epoch FROM now()) * 1000)::bigint AS ms`;
        const since = this.#connectedAtMs;
        if (since !== undefined) await this.#catchUp(since - CATCH_UP_MARGIN_MS);
        this.#connectedAtMs = Number(row!.ms);
        return;
      } catch (error) {
        if (attempt >= CATCH_UP_ATTEMPTS || this.#stopped) throw error;
        await new Promise((resolve) => setTimeout(resolve, CATCH_UP_RETRY_MS));
      }
    }
  }

  async #catchUp(sinceMs: number): Promise<void> {
    const since = new Date(sinceMs);
    const changes = await this.#sql`SELECT job_seq, change_seq, body FROM job_changes
      WHERE recorded_at >= ${since} ORDER BY job_seq, change_seq`;
    for (const row of changes) {
      this.#deliverChange(Number(row.job_seq), Number(row.change_seq), row.body);
    }
    const removals = await this.#sql`SELECT job_seq, instance_key, plugin, body
      FROM job_removals WHERE recorded_at >= ${since} ORDER BY job_seq`;
    for (const row of removals) {
      this.#deliverRemoval(Number(row.job_seq), row.instance_key, row.plugin, row.body);
    }
  }

  async #onNote(payload: string): Promise<void> {
    const note = noteOf(payload);
    if ("r" in note) return await this.#onRemoval(note);
    const last = this.#lastSeen.get(note.j);
    if (last !== undefined && note.c <= last) return;
    const missing = last === undefined ? 0 : note.c - last - 1;
    if (missing > 0 || note.b === undefined) {
      const from = note.b === undefined && missing === 0 ? note.c - 1 : last!;
      const rows = await this.#sql`SELECT change_seq, body FROM job_changes
        WHERE job_seq = ${note.j} AND change_seq > ${from} AND change_seq <= ${note.c}
        ORDER BY change_seq`;
      for (const row of rows) this.#deliverChange(note.j, Number(row.change_seq), row.body);
    }
    if (note.b !== undefined) this.#deliverChange(note.j, note.c, note.b);
    this.#advance(note.j, note.c);
  }

  async #onRemoval(note: RemovalNote): Promise<void> {
    if (this.#removed.has(note.r)) return;
    if (note.b !== undefined && note.i !== undefined && note.p !== undefined) {
      return this.#deliverRemoval(note.r, note.i, note.p, note.b);
    }
    const [row] = await this.#sql`SELECT instance_key, plugin, body FROM job_removals
      WHERE job_seq = ${note.r}`;
    if (row) this.#deliverRemoval(note.r, row.instance_key, row.plugin, row.body);
  }

  #deliverChange(jobSeq: number, changeSeq: number, body: string): void {
    const last = this.#lastSeen.get(jobSeq);
    if (last !== undefined && changeSeq <= last) return;
    this.#advance(jobSeq, changeSeq);
    this.#changes.emit(deepFreeze(JSON.parse(body) as Job));
  }

  #advance(jobSeq: number, changeSeq: number): void {
    const last = this.#lastSeen.get(jobSeq);
    if (last !== undefined && changeSeq <= last) return;
    this.#lastSeen.set(jobSeq, changeSeq);
    this.#wake(jobSeq, changeSeq);
  }

  #deliverRemoval(jobSeq: number, instanceKey: string, plugin: string, body: string): void {
    if (this.#removed.has(jobSeq)) return;
    this.#removed.add(jobSeq);
    this.#lastSeen.delete(jobSeq);
    const job = JSON.parse(body) as Job;
    this.#removals.emit(deepFreeze({ job, instanceKey, plugin }));
    this.#wake(jobSeq, "removed");
  }
}

/** A notification of this store, or a `TypeError` for a payload some other sender made. */
function noteOf(payload: string): ChangeNote | RemovalNote {
  let note: unknown;
  try {
    note = JSON.parse(payload);
  } catch {
    // Reported below like any other payload that is not ours.
  }
  const fields = (note ?? {}) as Record<string, unknown>;
  const ok = (value: unknown) => Number.isSafeInteger(value) && (value as number) > 0;
  const optional = (value: unknown) => value === undefined || typeof value === "string";
  if (ok(fields.r) && optional(fields.i) && optional(fields.p) && optional(fields.b)) {
    return note as RemovalNote;
  }
  if (ok(fields.j) && ok(fields.c) && optional(fields.b)) return note as ChangeNote;
  throw new TypeError(
    `Cannot read job notification: unexpected payload ${JSON.stringify(payload.slice(0, 80))}`,
  );
}
