import type { Job } from "../job.ts";
import { isTerminalStatus, type JobStatus } from "../job_status.ts";
import { ErrorCode, LauncherError } from "../launcher_error.ts";
import type { LauncherPlugin } from "../launcher_plugin.ts";
import type { OutputChunk, OutputRequest, ResourceUtil } from "../streams.ts";
import type { MemoryJobs } from "./_memory_jobs.ts";

/**
 * Resolves with the job once `predicate` holds (checked now and on every change), with
 * `undefined` when `signal` aborts first; rejects with JobNotFound when the job goes away.
 */
export function waitUntil(
  jobs: MemoryJobs,
  id: string,
  { predicate, signal }: { predicate: (job: Job) => boolean; signal: AbortSignal },
): Promise<Job | undefined> {
  return new Promise((resolve, reject) => {
    const finish = (settle: () => void) => {
      unsubscribe();
      signal.removeEventListener("abort", onAbort);
      settle();
    };
    const check = (job: Job | undefined) => {
      if (!job) {
        finish(() =>
          reject(new LauncherError(ErrorCode.JobNotFound, `Job ${id} no longer exists`))
        );
      } else if (predicate(job)) finish(() => resolve(job));
    };
    const onAbort = () => finish(() => resolve(undefined));
    const unsubscribe = jobs.subscribe((job, changed) => changed === id && check(job));
    signal.addEventListener("abort", onAbort, { once: true });
    if (signal.aborted) onAbort();
    else check(jobs.get(id));
  });
}

/** The host's output stream: waits while the job is Pending, then relays the plugin's. */
export async function* startedOutput(
  jobs: MemoryJobs,
  job: Job,
  { plugin, wanted, signal }: {
    plugin: () => LauncherPlugin;
    wanted: OutputRequest;
    signal: AbortSignal;
  },
): AsyncIterable<OutputChunk> {
  const predicate = (j: Job) => j.status !== "Pending";
  const started = await waitUntil(jobs, job.id, { predicate, signal });
  if (!started) return;
  yield* plugin().jobOutput(started, wanted, { signal });
}

/** The host's resource stream: the plugin's samples until the job ends or `signal` aborts. */
export async function* resourceStream(
  jobs: MemoryJobs,
  job: Job,
  { plugin, signal }: { plugin: LauncherPlugin; signal: AbortSignal },
): AsyncIterable<ResourceUtil> {
  const ended = new AbortController();
  const both = AbortSignal.any([signal, ended.signal]);
  const predicate = (j: Job) => isTerminalStatus(j.status!);
  waitUntil(jobs, job.id, { predicate, signal: both }).then(
    () => ended.abort(),
    () => ended.abort(),
  );
  try {
    for await (const sample of plugin.jobResourceUtil!(job, { signal: both })) {
      if (both.aborted) return;
      yield sample;
    }
  } catch (error) {
    if (!both.aborted) throw error;
  } finally {
    ended.abort();
  }
}

/**
 * Resolves with the job once its status is one of `wanted`. Rejects when the job ends in
 * another status, disappears, or `timeoutMs` of real time passes first; the message lists
 * the statuses the job went through.
 */
export function waitForStatus(
  jobs: MemoryJobs,
  id: string,
  { wanted, timeoutMs }: { wanted: readonly JobStatus[]; timeoutMs: number },
): Promise<Job> {
  const expected = wanted.join(" or ");
  const path = () => jobs.history(id).join(" → ") || "none";
  return new Promise((resolve, reject) => {
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      unsubscribe();
      settle();
    };
    const fail = (why: string) => finish(() => reject(new Error(`${why}; statuses: ${path()}`)));
    const check = (job: Job | undefined) => {
      if (!job) return fail(`Job "${id}" does not exist while waiting for ${expected}`);
      if (wanted.includes(job.status!)) return finish(() => resolve(job));
      if (isTerminalStatus(job.status!)) {
        fail(`Job "${id}" ended as ${job.status} while waiting for ${expected}`);
      }
    };
    const unsubscribe = jobs.subscribe((job, changed) => changed === id && check(job));
    const timer = setTimeout(
      () => fail(`Job "${id}" did not reach ${expected} within ${timeoutMs} ms`),
      timeoutMs,
    );
    check(jobs.get(id));
  });
}
