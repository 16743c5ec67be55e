import { canTransition, isJobStatus, type Job, type JobUpdate } from "../sdk/mod.ts";
import { describe } from "./_job_rows.ts";

type Kind = "status" | "string" | "integer" | "strings" | "object";

// The fields a plugin may change (SDK `JobUpdate`); any other key in a change is ignored,
// so a plugin may hand back a whole job object from `submitJob`.
const UPDATE_FIELDS: Readonly<Record<keyof JobUpdate, Kind>> = {
  status: "status",
  statusMessage: "string",
  statusCode: "string",
  pid: "integer",
  exitCode: "integer",
  host: "string",
  queues: "strings",
  stdoutFile: "string",
  stderrFile: "string",
  metadata: "object",
};

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
  const next: Record<string, unknown> = { ...job };
  const changed: string[] = [];
  for (const [name, kind] of Object.entries(UPDATE_FIELDS)) {
    const value: unknown = (change as Record<string, unknown>)[name];
    if (value === undefined) continue;
    checkValue(job.id, name, kind, value);
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

function checkValue(id: string, name: string, kind: Kind, value: unknown): void {
  if (valueFits(kind, value)) return;
  const wanted = {
    status: "a job status",
    string: "a string",
    integer: "an integer",
    strings: "an array of strings",
    object: "an object",
  }[kind];
  throw new TypeError(
    `Cannot update job "${id}": "${name}" must be ${wanted}, got ${describe(value)}`,
  );
}

function valueFits(kind: Kind, value: unknown): boolean {
  switch (kind) {
    case "status":
      return isJobStatus(value);
    case "string":
      return typeof value === "string";
    case "integer":
      return Number.isSafeInteger(value);
    case "strings":
      return Array.isArray(value) && value.every((item) => typeof item === "string");
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
