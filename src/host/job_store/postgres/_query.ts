import type { JobFilter, JobStatus } from "../../../sdk/mod.ts";
import type { JobScope } from "../_query.ts";
import { boundMs } from "../_rows.ts";

/** A listing as SQL text with `$n` parameters. */
export interface PgQuery {
  text: string;
  params: (string | number | string[])[];
}

/**
 * The SQL of a filtered listing, as in the SQLite store: scope (user unless `"*"`, instance)
 * then statuses (any of), tags (all of, through the GIN index on `tags`) and inclusive
 * submission-time bounds, in ID order.
 */
export function listingQuery(scope: JobScope, filter: JobFilter): PgQuery {
  const params: PgQuery["params"] = [];
  const where: string[] = [];
  const add = (condition: (n: string) => string, value: PgQuery["params"][number]) => {
    params.push(value);
    where.push(condition(`$${params.length}`));
  };
  if (scope.user !== undefined && scope.user !== "*") add((n) => `"user" = ${n}`, scope.user);
  if (scope.instanceKey !== undefined) add((n) => `instance_key = ${n}`, scope.instanceKey);
  if (scope.node !== undefined) add((n) => `node_id = ${n}`, scope.node);
  const statuses = unique(filter.statuses);
  if (statuses.length > 0) add((n) => `status = ANY(${n}::text[])`, statuses);
  const tags = unique(filter.tags);
  if (tags.length > 0) add((n) => `tags @> ${n}::text[]`, tags);
  if (filter.startTime !== undefined) {
    add((n) => `submission_ms >= ${n}`, boundMs(filter.startTime, "startTime"));
  }
  if (filter.endTime !== undefined) {
    add((n) => `submission_ms <= ${n}`, boundMs(filter.endTime, "endTime"));
  }
  const clause = where.length === 0 ? "" : ` WHERE ${where.join(" AND ")}`;
  return {
    text: `SELECT body, instance_key, plugin, node_id FROM jobs${clause} ORDER BY seq`,
    params,
  };
}

function unique<T extends string | JobStatus>(values: readonly T[] | undefined): T[] {
  return [...new Set(values ?? [])];
}
