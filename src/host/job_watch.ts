import type { Job } from "../sdk/mod.ts";

/** The part of the job store a watcher needs. */
export interface WatchableJobs {
  get(id: string): Promise<{ job: Job } | undefined>;
  subscribe(listener: (job: Job) => void): () => void;
  subscribeRemovals(listener: (removed: { job: Job }) => void): () => void;
}

/**
 * Resolves with the job once `predicate` holds for it (checked now and on every status
 * change), or `undefined` when the job disappears. Rejects when `signal` aborts. It listens
 * before it reads, so a change made while the job is read is not missed.
 */
export function waitForJob(
  jobs: WatchableJobs,
  id: string,
  predicate: (job: Job) => boolean,
  signal: AbortSignal,
): Promise<Job | undefined> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      // A job that already matches wins even over an aborted signal.
      return void jobs.get(id).then((stored) => {
        if (!stored || predicate(stored.job)) resolve(stored?.job);
        else reject(signal.reason);
      }, reject);
    }
    let done = false;
    const finish = (settle: () => void) => {
      if (done) return;
      done = true;
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
    jobs.get(id).then((stored) => {
      const current = stored?.job;
      if (!current || predicate(current)) finish(() => resolve(current));
    }, (error) => finish(() => reject(error)));
  });
}
