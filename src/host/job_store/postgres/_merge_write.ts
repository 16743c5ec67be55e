import type { TransactionSql } from "postgres";
import type { Job, JobUpdate } from "../../../sdk/mod.ts";
import { formatTime } from "../_rows.ts";
import { mergeUpdate } from "../_update.ts";
import type { JobUpdateResult } from "../job_store.ts";
import type { PayloadOf } from "./_insert_one.ts";
import { PREPARED, UPDATE_NOTIFY, UPDATE_QUIET } from "./_statements.ts";

/** What an update wrote: the result, and the change number when subscribers are told. */
export interface MergeOutcome {
  result: JobUpdateResult;
  changeSeq?: number;
}

/**
 * Inside a transaction: locks the job's row, merges `change` into it as the SQLite store
 * does (`mergeUpdate`: a terminal status never changes, a wrong type throws), and writes
 * it. A change of `status` or `statusMessage` takes the next change number, is recorded in
 * `job_changes` and notified on `channel`. `undefined` when the job does not exist.
 */
export async function mergeAndWrite(
  tx: TransactionSql,
  seq: number,
  change: JobUpdate,
  at: { now: number; channel: string; payloadOf: PayloadOf },
): Promise<MergeOutcome | undefined> {
  const [row] = await tx`SELECT body, change_seq FROM jobs WHERE seq = ${seq} FOR UPDATE`;
  if (row === undefined) return undefined;
  const current = JSON.parse(row.body) as Job;
  const merge = mergeUpdate(current, change);
  if (merge.kind === "rejected") {
    return { result: { job: current, changed: false, rejected: merge.reason } };
  }
  if (merge.changed.length === 0) return { result: { job: current, changed: false } };
  const job = merge.job;
  job.lastUpdateTime = formatTime(at.now);
  const body = JSON.stringify(job);
  const notify = merge.changed.includes("status") || merge.changed.includes("statusMessage");
  if (!notify) {
    await tx.unsafe(UPDATE_QUIET, [seq, job.status!, at.now, body], PREPARED);
    return { result: { job, changed: true } };
  }
  const changeSeq = Number(row.change_seq) + 1;
  const payload = await at.payloadOf(seq, changeSeq, body);
  await tx.unsafe(
    UPDATE_NOTIFY,
    [seq, job.status!, at.now, body, changeSeq, at.channel, payload],
    PREPARED,
  );
  return { result: { job, changed: true }, changeSeq };
}
