import type { Clock } from "../context.ts";
import type { Job, JobFilter, JobUpdate } from "../job.ts";
import { canTransition, type JobStatus } from "../job_status.ts";
import { JOB_UPDATE_FIELDS, jobUpdateFieldProblem } from "../job_update_fields.ts";

/**
 * A change to a job that the host refused: a status that may not follow the job's
 * current one (a terminal status regressing), or a field with a value of the wrong type.
 *
 * @example
 * ```ts
 * import type { Violation } from "./mod.ts";
 * const regressed: Violation = {
 *   jobId: "1",
 *   from: "Finished",
 *   change: { status: "Running" },
 *   reason: 'Cannot move job "1" from Finished to Running',
 * };
 * ```
 */
export interface Violation {
  readonly jobId: string;
  /** The job's status when the change arrived. */
  readonly from: JobStatus | undefined;
  readonly change: JobUpdate;
  readonly reason: string;
}

/** The fields a plugin may change (SDK `JobUpdate`); the host ignores any other key. */
export const UPDATE_FIELDS = JOB_UPDATE_FIELDS;

/**
 * The job store of the test host: what the real host's store does for a plugin, in memory.
 * Every job read out is a copy, so a plugin cannot change the store behind its back.
 */
export class MemoryJobs {
  readonly #clock: Clock;
  readonly #jobs = new Map<string, Job>();
  readonly #history = new Map<string, JobStatus[]>();
  readonly #violations: Violation[] = [];
  readonly #listeners = new Set<(job: Job | undefined, id: string) => void>();
  #nextId = 1;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  get violations(): readonly Violation[] {
    return this.#violations;
  }

  /** Stores a submitted job the way the host does: a new ID, Pending, stamped now. */
  insert(fields: Omit<Job, "id">, user: string): Job {
    const id = String(this.#nextId++);
    const now = this.#clock.now().toISOString();
    const job: Job = {
      ...structuredClone(fields),
      id,
      user,
      status: "Pending",
      submissionTime: now,
      lastUpdateTime: now,
    };
    this.#jobs.set(id, job);
    this.#history.set(id, ["Pending"]);
    this.#emit(id);
    return structuredClone(job);
  }

  get(id: string): Job | undefined {
    const job = this.#jobs.get(id);
    return job && structuredClone(job);
  }

  list(filter: JobFilter = {}): Job[] {
    return [...this.#jobs.values()].filter((job) => matches(job, filter)).map((job) =>
      structuredClone(job)
    );
  }

  history(id: string): readonly JobStatus[] {
    return [...(this.#history.get(id) ?? [])];
  }

  remove(id: string): void {
    this.#jobs.delete(id);
    this.#emit(id);
  }

  /**
   * Merges a change like the host: a value of the wrong type throws a `TypeError` naming
   * the field; a status that may not follow the current one is refused (the job is returned
   * unchanged). Both are recorded as violations, except a refused status in a `late`
   * change: the submit update, which a plugin may answer after it already reported a later
   * status through `ctx.jobs` (the host drops that status silently).
   */
  update(id: string, change: JobUpdate, options: { late?: boolean } = {}): Job | undefined {
    const job = this.#jobs.get(id);
    if (!job) return undefined;
    const refuse = (reason: string) => {
      this.#violations.push({ jobId: id, from: job.status, change: { ...change }, reason });
      return reason;
    };
    const typeError = checkTypes(id, change);
    if (typeError) throw new TypeError(refuse(typeError));
    const to = change.status;
    if (to !== undefined && job.status !== undefined && !canTransition(job.status, to)) {
      if (!options.late) refuse(`Cannot move job "${id}" from ${job.status} to ${to}`);
      return structuredClone(job);
    }
    if (merge(job, change)) {
      job.lastUpdateTime = this.#clock.now().toISOString();
      const history = this.#history.get(id)!;
      if (job.status !== undefined && history.at(-1) !== job.status) history.push(job.status);
      this.#emit(id);
    }
    return structuredClone(job);
  }

  /** Calls `listener` with a copy of the job (or `undefined` once removed) on every change. */
  subscribe(listener: (job: Job | undefined, id: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(id: string): void {
    for (const listener of [...this.#listeners]) listener(this.get(id), id);
  }
}

/** Copies the allowed fields of `change` into `job`; whether any value differed. */
function merge(job: Job, change: JobUpdate): boolean {
  const record = job as unknown as Record<string, unknown>;
  let changed = false;
  for (const name of Object.keys(UPDATE_FIELDS)) {
    const value: unknown = (change as Record<string, unknown>)[name];
    if (value === undefined || JSON.stringify(record[name]) === JSON.stringify(value)) continue;
    record[name] = structuredClone(value);
    changed = true;
  }
  return changed;
}

/** The message of the first field whose value has the wrong type, if any. */
function checkTypes(id: string, change: unknown): string | undefined {
  if (typeof change !== "object" || change === null || Array.isArray(change)) {
    return `Cannot update job "${id}": expected an object, got ${JSON.stringify(change)}`;
  }
  const problem = jobUpdateFieldProblem(change as Record<string, unknown>);
  if (!problem) return undefined;
  const got = JSON.stringify(problem.value);
  return `Cannot update job "${id}": "${problem.field}" must be ${problem.expected}, got ${got}`;
}

function matches(job: Job, filter: JobFilter): boolean {
  if (filter.tags && !filter.tags.every((tag) => job.tags?.includes(tag))) return false;
  if (filter.statuses && !filter.statuses.includes(job.status!)) return false;
  const submitted = Date.parse(job.submissionTime ?? "");
  if (filter.startTime && submitted < filter.startTime.getTime()) return false;
  if (filter.endTime && submitted > filter.endTime.getTime()) return false;
  return true;
}
