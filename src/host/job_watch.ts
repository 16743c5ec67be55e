import type { Job } from "../sdk/mod.ts";

/** The part of the job store a watcher needs. */
export interface WatchableJobs {
  get(id: string): { job: Job } | undefined;
  subscribe(listener: (job: Job) => void): () => void;
  subscribeRemovals(listener: (removed: { job: Job }) => void): () => void;
}

/**
 * Resolves with the job once `predicate` holds for it (checked now and on every status
 * change), or `undefined` when the job disappears. Rejects when `signal` aborts.
 */
export function waitForJob(
  jobs: WatchableJobs,
  id: string,
  predicate: (job: Job) => boolean,
  signal: AbortSignal,
): Promise<Job | undefined> {
  return new Promise((resolve, reject) => {
    const current = jobs.get(id)?.job;
    if (!current || predicate(current)) return resolve(current);
    if (signal.aborted) return reject(signal.reason);
    const finish = (settle: () => void) => {
      unsubscribe();
      unsubscribeRemovals();
      signal.removeEventListener("abort", onAbort);
      settle();
    };
    const onAbort = () => finish(() => reject(signal.reason));
    const unsubscribe = jobs.subscribe((job) => {
      if (job.id === id && predicate(job)) finish(() => resolve(job));
    });
    const unsubscribeRemovals = jobs.subscribeRemovals((removed) => {
      if (removed.job.id === id) finish(() => resolve(undefined));
    });
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
