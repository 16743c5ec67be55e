/**
 * The checks of the conformance suite, one function each, so tests can run a single check
 * against a fake plugin. A check throws an `Error` saying what the plugin did wrong.
 * Checks that need a running job are in `_workflow_checks.ts`.
 */
import type { ClusterInfo } from "../cluster_info.ts";
import type { Job } from "../job.ts";
import { canTransition, isJobStatus, isTerminalStatus, JOB_STATUSES } from "../job_status.ts";
import type { OutputChunk } from "../streams.ts";
import { type ResolvedProfile, TERMINAL_WATCH_MS } from "./conformance_profile.ts";
import { UPDATE_FIELDS } from "./_memory_jobs.ts";
import { collectWithin } from "./_streams.ts";
import type { TestHost } from "./test_host.ts";

/** The four terminal statuses. */
export const TERMINAL_STATUSES = JOB_STATUSES.filter(isTerminalStatus);

/** Throws the failure of a check. */
export function fail(message: string): never {
  throw new Error(message);
}

/** The message of a thrown value. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Waits `ms` of real time. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Submit: the plugin accepts a normal job and answers with JobUpdate fields only. */
export async function checkSubmit(host: TestHost, profile: ResolvedProfile): Promise<void> {
  const job = await host.submit(profile.job, profile.user).catch((error) =>
    fail(`Cannot submit ${JSON.stringify(profile.job)}: ${messageOf(error)}`)
  );
  const update: unknown = host.submitUpdate(job.id);
  if (update === undefined) return;
  if (typeof update !== "object" || update === null || Array.isArray(update)) {
    fail(`submitJob must return a JobUpdate object or nothing, got ${JSON.stringify(update)}`);
  }
  const status = (update as { status?: unknown }).status;
  if (status !== undefined && !(isJobStatus(status) && canTransition("Pending", status))) {
    fail(`submitJob returned status ${JSON.stringify(status)}, which cannot follow Pending`);
  }
  const ignored = ignoredFields(host.job(job.id) ?? job, update as Record<string, unknown>);
  if (ignored.length > 0) {
    fail(`submitJob returned fields the host ignores (it owns them): ${ignored.join(", ")}`);
  }
}

/**
 * Keys of an update that are not JobUpdate fields and do not just echo the stored job: a
 * plugin that sets `id` or `user` there expects a change the host never makes.
 */
function ignoredFields(stored: Job, update: Record<string, unknown>): string[] {
  const record = stored as unknown as Record<string, unknown>;
  return Object.keys(update).filter((key) =>
    !(key in UPDATE_FIELDS) && key !== "lastUpdateTime" &&
    JSON.stringify(update[key]) !== JSON.stringify(record[key])
  ).map((key) => `${key}=${JSON.stringify(update[key])}`);
}

/** Submits the profile's normal job and waits for it to end. */
export async function finishedJob(host: TestHost, profile: ResolvedProfile): Promise<Job> {
  const job = await host.submit(profile.job, profile.user);
  return await host.waitForStatus(job.id, TERMINAL_STATUSES, profile.jobCompleteTimeoutMs);
}

/** Lifecycle: a normal job reaches a terminal status in time; resolves with it. */
export function checkReachesTerminal(host: TestHost, profile: ResolvedProfile): Promise<Job> {
  return finishedJob(host, profile);
}

/**
 * Lifecycle: once a job has ended, the plugin never tries to move it again (watched for
 * {@linkcode TERMINAL_WATCH_MS}). The host refuses such changes; here they count as failures.
 */
export async function checkTerminalStays(host: TestHost, id: string): Promise<void> {
  const ended = host.job(id);
  if (!ended?.status || !isTerminalStatus(ended.status)) {
    fail(`Job "${id}" has not ended (status ${ended?.status}); nothing to watch`);
  }
  await delay(TERMINAL_WATCH_MS);
  const attempts = host.violations.filter((v) =>
    v.jobId === id && v.from !== undefined && isTerminalStatus(v.from)
  );
  if (attempts.length > 0) {
    const reasons = attempts.map((v) => v.reason).join("; ");
    fail(`Plugin changed job "${id}" after it ended as ${ended.status}: ${reasons}`);
  }
}

/** ClusterInfo: the plugin answers; limits have types; queues and images are consistent. */
export async function checkClusterInfo(host: TestHost, profile: ResolvedProfile): Promise<void> {
  const info: unknown = await host.clusterInfo(profile.user);
  if (typeof info !== "object" || info === null || Array.isArray(info)) {
    fail(`clusterInfo must return an object, got ${JSON.stringify(info)}`);
  }
  const problems = [...limitProblems(info as ClusterInfo), ...choiceProblems(info as ClusterInfo)];
  if (problems.length > 0) fail(`Cluster info is inconsistent: ${problems.join("; ")}`);
}

function limitProblems(info: ClusterInfo): string[] {
  const problems: string[] = [];
  const untyped = (limits: unknown, where: string) => {
    if (limits === undefined) return;
    if (!Array.isArray(limits)) return problems.push(`${where} is not an array`);
    limits.forEach((limit: { type?: unknown } | null, i) => {
      if (typeof limit?.type !== "string" || limit.type === "") {
        problems.push(`${where}[${i}] has no type`);
      }
    });
  };
  untyped(info.resourceLimits, "resourceLimits");
  info.resourceProfiles?.forEach((profile, i) => {
    if (!profile.name) problems.push(`resourceProfiles[${i}] has no name`);
    untyped(profile.limits, `resourceProfiles[${i}].limits`);
  });
  return problems;
}

function choiceProblems(info: ClusterInfo): string[] {
  const problems: string[] = [];
  const { queues, defaultQueue, images, defaultImage } = info;
  if (queues !== undefined && !queues.every((q) => typeof q === "string" && q !== "")) {
    problems.push(`queues must be non-empty strings, got ${JSON.stringify(queues)}`);
  }
  if (defaultQueue !== undefined && !queues?.includes(defaultQueue)) {
    problems.push(`defaultQueue "${defaultQueue}" is not one of queues ${JSON.stringify(queues)}`);
  }
  info.resourceProfiles?.forEach((profile, i) => {
    if (profile.queue !== undefined && queues && !queues.includes(profile.queue)) {
      problems.push(`resourceProfiles[${i}].queue "${profile.queue}" is not one of queues`);
    }
  });
  if (defaultImage !== undefined && !info.allowUnknownImages && !images?.includes(defaultImage)) {
    problems.push(`defaultImage "${defaultImage}" is not one of images ${JSON.stringify(images)}`);
  }
  return problems;
}

/**
 * Output: a finished job's stream delivers at least one well-formed chunk and ends by
 * itself; asking for stdout gives no stderr chunk.
 */
export async function checkOutput(
  host: TestHost,
  profile: ResolvedProfile,
  options: { finished?: Job | undefined } = {},
): Promise<void> {
  const job = options.finished ?? await finishedJob(host, profile);
  const what = `Output stream of job "${job.id}" (${job.status})`;
  const both = await collectWithin(host.outputStream(job.id, "both"), profile.outputTimeoutMs);
  if (!both.ended) fail(`${what} did not end within ${profile.outputTimeoutMs} ms`);
  if (both.items.length === 0) fail(`${what} delivered no output`);
  const malformed = both.items.filter((chunk) => !isChunk(chunk));
  if (malformed.length > 0) {
    fail(`${what} delivered malformed chunks: ${JSON.stringify(malformed)}`);
  }
  const stdout = await collectWithin(host.outputStream(job.id, "stdout"), profile.outputTimeoutMs);
  if (stdout.items.some((chunk) => chunk.outputType === "stderr")) {
    fail(`${what} delivered stderr chunks when only stdout was asked for`);
  }
}

function isChunk(chunk: OutputChunk): boolean {
  return typeof chunk === "object" && chunk !== null && typeof chunk.output === "string" &&
    ["stdout", "stderr", "mixed"].includes(chunk.outputType);
}

/** Host: the plugin made no change the host refused, in this whole run. */
export function checkNoViolations(host: TestHost): void {
  if (host.violations.length === 0) return;
  const lines = host.violations.map((v) => `${v.reason} (change ${JSON.stringify(v.change)})`);
  fail(`The host refused ${lines.length} job change(s): ${lines.join("; ")}`);
}
