import type { DatabaseSync, SQLInputValue, StatementSync } from "node:sqlite";
import type { JobFilter, JobStatus } from "../../sdk/mod.ts";
import { boundMs, type JobRow } from "./_rows.ts";
import { returningArrays } from "./_statements.ts";

/** Which jobs a listing may see before the filter applies. */
export interface JobScope {
  /** Only this user's jobs; `"*"` or absent sees every user's. */
  user?: string;
  /** Only jobs of this plugin instance. */
  instanceKey?: string;
  /** Only jobs driven by this node (the PostgreSQL store; SQLite holds one node's). */
  node?: string;
}

// Listings differ in shape (how many tags, statuses, bounds); each shape's SQL is prepared
// once and kept. Shapes are few in practice; the cap only guards against a flood of them.
const MAX_CACHED_SHAPES = 128;

/** Builds filtered job listings as SQL over the indexed columns and tag table. */
export class JobQueries {
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  /** The rows in `scope` matching `filter`, in ID order. */
  select(scope: JobScope, filter: JobFilter): JobRow[] {
    const { sql, params } = buildQuery(scope, filter);
    return this.#statement(sql).all(...params) as unknown as JobRow[];
  }

  #statement(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      if (this.#statements.size >= MAX_CACHED_SHAPES) this.#statements.clear();
      statement = returningArrays(this.#db.prepare(sql));
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}

interface Query {
  sql: string;
  params: SQLInputValue[];
}

function buildQuery(scope: JobScope, filter: JobFilter): Query {
  const tags = [...new Set(filter.tags ?? [])];
  const params: SQLInputValue[] = [];
  const where: string[] = [];
  // The first tag drives the scan through the (tag, job_seq) key, which also yields ID
  // order (so no sort); further tags are probed per candidate.
  const [first, ...rest] = tags;
  let from = "jobs j";
  let order = "j.seq";
  if (first !== undefined) {
    from = "job_tags t CROSS JOIN jobs j ON j.seq = t.job_seq";
    order = "t.job_seq";
    where.push("t.tag = ?");
    params.push(first);
  }
  addScope(scope, where, params);
  addStatuses(filter.statuses, where, params);
  addBounds(filter, where, params);
  for (const tag of rest) {
    where.push("EXISTS (SELECT 1 FROM job_tags o WHERE o.tag = ? AND o.job_seq = j.seq)");
    params.push(tag);
  }
  const clause = where.length === 0 ? "" : ` WHERE ${where.join(" AND ")}`;
  const sql = `SELECT j.body, j.instance_key, j.plugin FROM ${from}${clause} ORDER BY ${order}`;
  return { sql, params };
}

function addScope(scope: JobScope, where: string[], params: SQLInputValue[]): void {
  if (scope.user !== undefined && scope.user !== "*") {
    where.push("j.user = ?");
    params.push(scope.user);
  }
  if (scope.instanceKey !== undefined) {
    where.push("j.instance_key = ?");
    params.push(scope.instanceKey);
  }
}

function addStatuses(
  statuses: readonly JobStatus[] | undefined,
  where: string[],
  params: SQLInputValue[],
): void {
  if (statuses === undefined) return;
  const unique = [...new Set(statuses)];
  if (unique.length === 0) return;
  where.push(`j.status IN (${unique.map(() => "?").join(", ")})`);
  params.push(...unique);
}

function addBounds(filter: JobFilter, where: string[], params: SQLInputValue[]): void {
  if (filter.startTime !== undefined) {
    where.push("j.submission_ms >= ?");
    params.push(boundMs(filter.startTime, "startTime"));
  }
  if (filter.endTime !== undefined) {
    where.push("j.submission_ms <= ?");
    params.push(boundMs(filter.endTime, "endTime"));
  }
}
