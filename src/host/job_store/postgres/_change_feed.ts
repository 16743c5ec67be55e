import type { Sql } from "postgres";
import type { Job } from "../../../sdk/mod.ts";
import { deepFreeze, Listeners } from "../_listeners.ts";
import type { StoredJob } from "../job_store.ts";
import { DeliveryWaits } from "./_delivery_waits.ts";
import { SeenSet } from "./_seen.ts";
import { PREPARED } from "./_statements.ts";
import type { PayloadSigner } from "./_signer.ts";
import { type Note, noteOf, signedText } from "./_change_note.ts";
import {
  CATCH_UP_ATTEMPTS,
  CATCH_UP_MARGIN_MS,
  CATCH_UP_RETRY_MS,
  SHUTDOWN_QUERY_MS,
} from "./constants.ts";
import { within } from "./_within.ts";

// The changes a batch of notifications names: per job, the numbers after `lo` up to `hi`.
const CHANGES_IN_RANGES = `SELECT c.job_seq, c.change_seq, c.body
  FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS q(job, lo, hi)
  JOIN job_changes c ON c.job_seq = q.job AND c.change_seq > q.lo AND c.change_seq <= q.hi
  ORDER BY c.job_seq, c.change_seq`;

const TOMBSTONES = `SELECT job_seq, instance_key, plugin, body FROM job_removals
  WHERE job_seq = ANY($1::bigint[])`;

/**
 * Delivers every node's job changes to this node's subscribers through PostgreSQL's
 * LISTEN/NOTIFY. A notification names a job and its change number (`change_seq`) only;
 * the change itself is read from `job_changes` (removals from `job_removals`), which only
 * the store writes, because any role that can connect may NOTIFY. The feed keeps the last
 * number delivered per job, so it skips repeats and, when a number jumps, delivers the
 * missing changes first, in order. Notifications of one job arrive in commit order, which
 * is change order (an update holds the job's row lock). Notifications that arrive while a
 * batch is read are read together in the next one. After a reconnect the feed fetches what
 * was recorded while it was away. One queue runs all of it, so listeners see one job's
 * changes in order.
 */
export class ChangeFeed {
  readonly #sql: Sql;
  readonly #channel: string;
  readonly #changes: Listeners<Job>;
  readonly #removals: Listeners<StoredJob>;
  readonly #onError: (error: unknown) => void;
  readonly #lastSeen = new Map<number, number>();
  readonly #removed = new SeenSet();
  readonly #waits = new DeliveryWaits();
  #notes: Note[] = [];
  #queue: Promise<void> = Promise.resolve();
  #connectedAtMs: number | undefined;
  #unlisten: (() => Promise<void>) | undefined;
  #stopped = false;
  #signer: PayloadSigner | undefined;

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
  async start(signer: PayloadSigner): Promise<void> {
    this.#signer = signer;
    const request = await this.#sql.listen(
      this.#channel,
      (payload) => this.#onNotify(payload),
      () => this.#enqueue(() => this.#onListen()),
    );
    this.#unlisten = () => request.unlisten();
    await this.#queue;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    const unlisten = this.#unlisten;
    this.#unlisten = undefined;
    this.#waits.end();
    // A server that stopped answering never acknowledges the UNLISTEN: closing goes on.
    await within(unlisten?.() ?? Promise.resolve(), SHUTDOWN_QUERY_MS, "UNLISTEN").catch(() => {});
  }

  /**
   * Resolves once the feed has delivered change `changeSeq` of `jobSeq` (or its removal,
   * when `changeSeq` is `"removed"`), or after `limitMs`, whichever comes first.
   */
  delivered(jobSeq: number, changeSeq: number | "removed", limitMs: number): Promise<void> {
    const done = changeSeq === "removed"
      ? this.#removed.has(jobSeq)
      : (this.#lastSeen.get(jobSeq) ?? 0) >= changeSeq;
    return done ? Promise.resolve() : this.#waits.wait(jobSeq, changeSeq, limitMs);
  }

  /**
   * This node's own write of change `changeSeq` of `jobSeq`, committed, with its body:
   * delivered at once when every earlier change of the job was (the usual case, and always
   * for a new job), so a write does not wait for its notification and the read; otherwise
   * (another node's change is still on its way) it waits for the feed, as `delivered`.
   */
  deliverOwn(jobSeq: number, changeSeq: number, job: Job, limitMs: number): Promise<void> {
    if ((this.#lastSeen.get(jobSeq) ?? 0) !== changeSeq - 1 || this.#removed.has(jobSeq)) {
      return this.delivered(jobSeq, changeSeq, limitMs);
    }
    this.#lastSeen.set(jobSeq, changeSeq);
    this.#changes.emit(deepFreeze(structuredClone(job)));
    this.#waits.reached(jobSeq, changeSeq);
    return Promise.resolve();
  }

  #enqueue(task: () => Promise<void>): void {
    this.#queue = this.#queue.then(task).catch((error) => this.#onError(error));
  }

  #onNotify(payload: string): void {
    try {
      this.#notes.push(noteOf(payload));
    } catch (error) {
      return this.#onError(error);
    }
    // One read per batch: the first note of a batch queues the task, later ones join it.
    if (this.#notes.length === 1) this.#enqueue(() => this.#readNotes());
  }

  async #readNotes(): Promise<void> {
    const notes = this.#notes;
    this.#notes = [];
    const trusted = await Promise.all(notes.map((note) => this.#trusted(note)));
    // Which changes must be read back: those not carried (or not signed) in their note, and
    // those a note skips over. Walked in order, as delivery will.
    const ranges = new Map<number, { lo: number; hi: number }>();
    const removed: number[] = [];
    const seen = new Map<number, number>();
    notes.forEach((note, i) => {
      if ("r" in note) return void removed.push(note.r);
      const last = seen.get(note.j) ?? this.#lastSeen.get(note.j) ?? note.c - 1;
      seen.set(note.j, Math.max(last, note.c));
      if (trusted[i] && last >= note.c - 1) return;
      const range = ranges.get(note.j);
      ranges.set(note.j, {
        lo: Math.min(range?.lo ?? last, last),
        hi: Math.max(range?.hi ?? 0, note.c),
      });
    });
    const jobs = [...ranges.keys()];
    const [changes, tombstones] = await this.#retried(() =>
      Promise.all([
        jobs.length === 0 ? [] : this.#sql.unsafe(CHANGES_IN_RANGES, [
          jobs,
          jobs.map((job) => ranges.get(job)!.lo),
          jobs.map((job) => ranges.get(job)!.hi),
        ], PREPARED),
        removed.length === 0 ? [] : this.#sql.unsafe(TOMBSTONES, [removed], PREPARED),
      ])
    );
    const byJob = Map.groupBy(changes, (row) => Number(row.job_seq));
    const byRemoval = new Map(tombstones.map((row) => [Number(row.job_seq), row]));
    notes.forEach((note, i) => {
      if ("r" in note) {
        const row = byRemoval.get(note.r);
        if (row) this.#deliverRemoval(note.r, row.instance_key, row.plugin, row.body);
        return;
      }
      for (const row of byJob.get(note.j) ?? []) {
        const changeSeq = Number(row.change_seq);
        if (changeSeq <= note.c) this.#deliverChange(note.j, changeSeq, row.body);
      }
      if (trusted[i]) this.#deliverChange(note.j, note.c, note.b!);
      // A change whose row is gone (its job was deleted meanwhile) has nothing to deliver;
      // its writer need not wait for it.
      this.#waits.reached(note.j, note.c);
    });
  }

  /** Whether a change note carries its body signed with the cluster's key. */
  async #trusted(note: Note): Promise<boolean> {
    if ("r" in note || note.b === undefined || note.m === undefined) return false;
    return await this.#signer!.verify(signedText(note.j, note.c, note.b), note.m);
  }

  // Runs in the queue, so notifications that arrive meanwhile wait behind the catch-up.
  // Only a catch-up that succeeded moves the start of the next one forward.
  async #onListen(): Promise<void> {
    await this.#retried(async () => {
      const [row] = await this.#sql`SELECT (extract(epoch FROM now()) * 1000)::bigint AS ms`;
      const since = this.#connectedAtMs;
      if (since !== undefined) await this.#catchUp(since - CATCH_UP_MARGIN_MS);
      this.#connectedAtMs = Number(row!.ms);
    });
  }

  /** Runs `read` again after a pause when it fails (the pool may be reconnecting). */
  async #retried<T>(read: () => Promise<T>): Promise<T> {
    for (let attempt = 1;; attempt++) {
      try {
        return await read();
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

  #deliverChange(jobSeq: number, changeSeq: number, body: string): void {
    const last = this.#lastSeen.get(jobSeq);
    if (this.#removed.has(jobSeq) || (last !== undefined && changeSeq <= last)) return;
    this.#lastSeen.set(jobSeq, changeSeq);
    this.#changes.emit(deepFreeze(JSON.parse(body) as Job));
    this.#waits.reached(jobSeq, changeSeq);
  }

  #deliverRemoval(jobSeq: number, instanceKey: string, plugin: string, body: string): void {
    if (this.#removed.has(jobSeq)) return;
    this.#removed.add(jobSeq);
    this.#lastSeen.delete(jobSeq);
    const job = JSON.parse(body) as Job;
    this.#removals.emit(deepFreeze({ job, instanceKey, plugin }));
    this.#waits.reached(jobSeq, "removed");
  }
}
