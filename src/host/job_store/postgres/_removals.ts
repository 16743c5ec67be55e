import type { Sql } from "postgres";
import { isTerminalStatus, JOB_STATUSES } from "../../../sdk/mod.ts";
import { PREPARED, PRUNE_HISTORY, REMOVE_EXPIRED, REMOVE_JOB } from "./_statements.ts";

const TERMINAL_STATUSES = JOB_STATUSES.filter(isTerminalStatus);

// Removals leave tombstones and notify on `channel` (see REMOVE_ROWS). They throw the
// driver's errors; the store names the action and the store.

/** Deletes job `seq`; whether it existed. */
export async function removeJob(sql: Sql, channel: string, seq: number): Promise<boolean> {
  return (await sql.unsafe(REMOVE_JOB, [channel, seq], PREPARED)).length > 0;
}

/** Deletes the terminal jobs last updated before `cutoffMs`; their numbers. */
export async function removeExpired(sql: Sql, channel: string, cutoffMs: number) {
  const rows = await sql.unsafe(REMOVE_EXPIRED, [channel, [...TERMINAL_STATUSES], cutoffMs]);
  return rows.map((row) => Number(row.seq));
}

/** Forgets the changes and tombstones recorded before `before` (past the catch-up window). */
export async function pruneHistory(sql: Sql, before: Date): Promise<void> {
  for (const prune of PRUNE_HISTORY) await sql.unsafe(prune, [before]);
}
