import { isJobStatus, type Job, type JobStatus } from "../../sdk/mod.ts";

/** A `jobs` row as the store's queries select it: the job as JSON (with `id`), and owner. */
export type JobRow = [body: string, instanceKey: string, plugin: string];

/** A job ready to be written: the normalized job (without `id`) and its indexed columns. */
export interface JobRecord {
  job: Omit<Job, "id">;
  user: string;
  status: JobStatus;
  submissionMs: number;
  updateMs: number;
  tags: string[];
}

const RFC3339 =
  /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?(?:[Zz]|([+-])(\d{1,2}):?(\d{2}))?$/;

/**
 * Milliseconds since the epoch of an RFC 3339 time. Accepts any fraction (kept to the
 * millisecond), `Z`, numeric offsets such as `+5:30`, and no zone at all (taken as UTC).
 */
export function parseTime(value: string, what: string): number {
  // The form the store itself writes (toISOString) needs no regular expression.
  if (value.length === 24 && value[10] === "T" && value[23] === "Z") {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms) && formatTime(ms) === value) return ms;
  }
  const match = RFC3339.exec(value);
  const ms = match ? Date.parse(isoOf(match)) : NaN;
  if (Number.isNaN(ms)) {
    throw new RangeError(`Cannot read ${what}: "${value}" is not an RFC 3339 time`);
  }
  return ms;
}

function isoOf(match: RegExpExecArray): string {
  const [, date, time, fraction = "", sign, hours = "", minutes = ""] = match;
  const zone = sign ? `${sign}${hours.padStart(2, "0")}:${minutes}` : "Z";
  return `${date}T${time}.${fraction.padEnd(3, "0").slice(0, 3)}${zone}`;
}

let lastMs = NaN;
let lastText = "";

/** A time as the store writes it: ISO 8601 in UTC with `Z`. */
export function formatTime(ms: number): string {
  // A submit formats the same millisecond several times (and a burst's submits share it).
  if (ms !== lastMs) {
    lastText = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastText;
}

/** Milliseconds of a filter bound, refusing an invalid `Date`. */
export function boundMs(date: Date, what: string): number {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`Cannot filter jobs: ${what} is an invalid date`);
  return ms;
}

/**
 * Checks a draft and normalizes what the store indexes: `user` and `status` are required,
 * times become UTC `Z` strings (`submissionTime` defaults to `now`, `lastUpdateTime` to
 * `submissionTime`), tags must be strings. Every other field is kept as given.
 */
export function recordOf(draft: Omit<Job, "id">, now: number): JobRecord {
  if (typeof draft !== "object" || draft === null || Array.isArray(draft)) {
    throw new TypeError(`Cannot insert job: expected an object, got ${describe(draft)}`);
  }
  // A copy all the way down: the store freezes what it keeps, never the caller's objects.
  const job = copyData(draft) as Record<string, unknown>;
  delete job.id;
  const { user, status } = draft;
  if (typeof user !== "string" || user === "" || user === "*") {
    throw new TypeError(`Cannot insert job: "user" must name the owner, got ${describe(user)}`);
  }
  if (!isJobStatus(status)) {
    throw new TypeError(
      `Cannot insert job: "status" must be a job status, got ${describe(status)}`,
    );
  }
  const submissionMs = timeField(draft, "submissionTime") ?? now;
  const updateMs = timeField(draft, "lastUpdateTime") ?? submissionMs;
  job.submissionTime = formatTime(submissionMs);
  job.lastUpdateTime = formatTime(updateMs);
  return { job, user, status, submissionMs, updateMs, tags: tagsOf(draft.tags) };
}

function timeField(draft: Omit<Job, "id">, name: "submissionTime" | "lastUpdateTime") {
  const value: unknown = draft[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string") {
    throw new TypeError(`Cannot insert job: "${name}" must be a string, got ${describe(value)}`);
  }
  return parseTime(value, `job field "${name}"`);
}

function tagsOf(tags: unknown): string[] {
  if (tags === undefined) return [];
  if (!Array.isArray(tags) || !tags.every((tag) => typeof tag === "string")) {
    throw new TypeError(`Cannot insert job: "tags" must be an array of strings`);
  }
  return [...new Set(tags)];
}

/**
 * A copy of plain data (objects, arrays, primitives) down to its leaves; other objects (a
 * `Date`) are kept as they are. Much cheaper than `structuredClone` for a job.
 */
export function copyData(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map(copyData);
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const copy: Record<string, unknown> = {};
  for (const key in value) {
    if (Object.hasOwn(value, key)) copy[key] = copyData((value as Record<string, unknown>)[key]);
  }
  return copy;
}

/** Checks the owner given with a new job. */
export function checkMeta(meta: { instanceKey: string; plugin: string }): void {
  for (const name of ["instanceKey", "plugin"] as const) {
    if (typeof meta?.[name] !== "string" || meta[name] === "") {
      throw new TypeError(`Cannot insert job: meta "${name}" must be a non-empty string`);
    }
  }
}

/** The job a row holds. */
export function jobOf(row: JobRow): Job {
  return JSON.parse(row[0]);
}

/** A copy of `job` with only `fields` (and always `id`); all of it when `fields` is absent. */
export function pickFields(job: Job, fields: readonly string[] | undefined): Job {
  if (fields === undefined) return job;
  const picked: Record<string, unknown> = { id: job.id };
  const source = job as unknown as Record<string, unknown>;
  for (const name of fields) if (Object.hasOwn(source, name)) picked[name] = source[name];
  return picked as unknown as Job;
}

/** The sequence number an ID names, or `undefined` when it names none ("7", not "07"). */
export function seqOf(id: string): number | undefined {
  if (!/^[1-9]\d{0,15}$/.test(id)) return undefined;
  const seq = Number(id);
  return Number.isSafeInteger(seq) ? seq : undefined;
}

/** A value named in an error message: strings quoted, others by type. */
export function describe(value: unknown): string {
  if (typeof value === "string") return `"${value}"`;
  if (value === null) return "null";
  return Array.isArray(value) ? "an array" : typeof value;
}
