import type { JobUpdate } from "./job.ts";
import { isJobStatus } from "./job_status.ts";

/** What one field of a `JobUpdate` must hold. */
export type JobUpdateKind = "status" | "string" | "integer" | "strings" | "object";

/**
 * The fields a plugin may change on a job, and what each must hold. The host ignores any
 * other key in a change, so a plugin may hand back a whole job from `submitJob`.
 *
 * @example
 * ```ts
 * import { JOB_UPDATE_FIELDS } from "./job_update_fields.ts";
 * Object.keys(JOB_UPDATE_FIELDS).includes("exitCode"); // true
 * ```
 */
export const JOB_UPDATE_FIELDS: Readonly<Record<keyof JobUpdate, JobUpdateKind>> = {
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

const EXPECTED: Readonly<Record<JobUpdateKind, string>> = {
  status: "a job status",
  string: "a string",
  integer: "an integer",
  strings: "an array of strings",
  object: "an object",
};

/**
 * The first updatable field of `change` whose value has the wrong type, with what it
 * should be; `undefined` when every such field is fine. Other keys are not looked at.
 *
 * @example
 * ```ts
 * import { jobUpdateFieldProblem } from "./job_update_fields.ts";
 * jobUpdateFieldProblem({ exitCode: "0" }); // { field: "exitCode", expected: "an integer", value: "0" }
 * ```
 */
export function jobUpdateFieldProblem(
  change: Readonly<Record<string, unknown>>,
): { field: keyof JobUpdate; expected: string; value: unknown } | undefined {
  for (
    const [field, kind] of Object.entries(JOB_UPDATE_FIELDS) as [keyof JobUpdate, JobUpdateKind][]
  ) {
    const value = change[field];
    if (value !== undefined && !fits(kind, value)) {
      return { field, expected: EXPECTED[kind], value };
    }
  }
  return undefined;
}

function fits(kind: JobUpdateKind, value: unknown): boolean {
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
