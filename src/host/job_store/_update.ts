import {
  canTransition,
  type Job,
  JOB_UPDATE_FIELDS,
  type JobUpdate,
  jobUpdateFieldProblem,
} from "../../sdk/mod.ts";
import { describe } from "./_rows.ts";

/** What merging a change into a job gives. */
export type Merge =
  | { kind: "rejected"; reason: string }
  | { kind: "merged"; job: Job; changed: string[] };

/**
 * Merges the allowed fields of `change` into a copy of `job`. Refuses the whole change when
 * its status may not follow the job's (`canTransition`); throws a `TypeError` naming the
 * field when a value has the wrong type. `changed` lists the fields whose value differs.
 */
export function mergeUpdate(job: Job, change: JobUpdate): Merge {
  if (typeof change !== "object" || change === null) {
    throw new TypeError(
      `Cannot update job "${job.id}": expected an object, got ${describe(change)}`,
    );
  }
  const problem = jobUpdateFieldProblem(change as Record<string, unknown>);
  if (problem) {
    throw new TypeError(
      `Cannot update job "${job.id}": "${problem.field}" must be ${problem.expected}, got ${
        describe(problem.value)
      }`,
    );
  }
  const next: Record<string, unknown> = { ...job };
  const changed: string[] = [];
  for (const name of Object.keys(JOB_UPDATE_FIELDS)) {
    const value: unknown = (change as Record<string, unknown>)[name];
    if (value === undefined) continue;
    if (!sameValue(next[name], value)) {
      next[name] = value;
      changed.push(name);
    }
  }
  const from = job.status;
  const to = change.status;
  if (to !== undefined && from !== undefined && !canTransition(from, to)) {
    return { kind: "rejected", reason: `Cannot move job "${job.id}" from ${from} to ${to}` };
  }
  return { kind: "merged", job: next as unknown as Job, changed };
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
