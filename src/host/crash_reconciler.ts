import type { JsonLogger } from "../log/mod.ts";
import { ErrorCode, type Job, LauncherError } from "../sdk/mod.ts";
import type { CrashNotes } from "./crash_notes.ts";
import type { InstancePool } from "./instance_pool.ts";
import type { AsyncJobStore } from "./job_store/store_interface.ts";
import type { PluginInstance } from "./plugin_instance.ts";

/** What {@linkcode CrashReconciler} needs from the host. */
export interface CrashReconcilerOptions {
  pluginName: string;
  /** The instance's jobs that are not in a terminal status, now. */
  liveJobs: (instanceKey: string) => Promise<Job[]>;
  /** The instance once its supervisor has it (back); rejects when it cannot come back. */
  instance: (instanceKey: string, user: string) => Promise<PluginInstance>;
  /** Whether the instance's circuit breaker is open (it is not restarted any more). */
  breakerOpen: (instanceKey: string) => boolean;
  /** Whether the host is shutting down: then nothing is failed, the jobs wait for the next start. */
  stopping: () => boolean;
  /** Hands jobs to the instance's `recover`, with the request deadline. */
  recover: (instance: PluginInstance, jobs: Job[]) => Promise<void>;
  /** Ends a job `Failed` with this status message (one that ended meanwhile is left alone). */
  fail: (jobId: string, statusMessage: string) => Promise<void>;
  /** Keeps each instance's last crash across a host restart (none: only in memory). */
  notes?: CrashNotes;
  log: JsonLogger;
}

/**
 * Makes sure a crash never strands a job. After an instance's runner crashed (threw
 * outside a call, exited, missed a health check), its unfinished jobs are handed to the
 * restarted instance's `recover`, as after a host restart; when the instance cannot come
 * back (breaker open, restart failed) or does not implement `recover`, they end `Failed`
 * with a status message naming the crash, which ends their status streams and waits.
 * Start-up recovery ({@linkcode afterRestart}) gives jobs that survived a host restart the
 * same treatment, naming the crash the host was killed before reconciling (see
 * {@linkcode CrashNotes}). Runs for one instance at a time, in the order the crashes came.
 */
export class CrashReconciler {
  readonly #o: CrashReconcilerOptions;
  readonly #queued = new Map<string, Promise<void>>();
  /** Crashes so far per instance: only the reconciliation of the latest clears its note. */
  readonly #crashCount = new Map<string, number>();

  constructor(options: CrashReconcilerOptions) {
    this.#o = options;
  }

  /** Reconciles `instanceKey` after it ended for `reason` (`crashed: …`, `exit code 1`). */
  crashed(instanceKey: string, reason: string): Promise<void> {
    this.#o.notes?.record(instanceKey, reason);
    const count = (this.#crashCount.get(instanceKey) ?? 0) + 1;
    this.#crashCount.set(instanceKey, count);
    const previous = this.#queued.get(instanceKey) ?? Promise.resolve();
    const next = previous.then(async () => {
      if (
        await this.#reconcile(instanceKey, reason) && this.#crashCount.get(instanceKey) === count
      ) {
        this.#o.notes?.clear(instanceKey);
      }
    });
    this.#queued.set(instanceKey, next);
    void next.finally(() => {
      if (this.#queued.get(instanceKey) === next) this.#queued.delete(instanceKey);
    });
    return next;
  }

  /** Settles once every reconciliation asked for so far is done (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.#queued.size > 0) await Promise.allSettled([...this.#queued.values()]);
  }

  /**
   * Start-up: hands jobs that survived a host restart back to their instance, as
   * {@linkcode handBack} does; jobs it fails name the crash noted before the restart, if
   * any. The note goes once the jobs are back or failed.
   */
  async afterRestart(instanceKey: string, jobs: Job[]): Promise<boolean> {
    const crash = this.#o.notes?.last(instanceKey);
    const crashesBefore = this.#crashCount.get(instanceKey);
    const restart = "could not take the job back after a host restart";
    const cause = crash
      ? `${crashMessage(this.#o.pluginName, crash)}; it ${restart}`
      : `Plugin "${this.#o.pluginName}" ${restart}`;
    const handled = await this.handBack(instanceKey, jobs, cause);
    // A crash since (during recover) keeps its own note for its own reconciliation.
    const crashedSince = this.#crashCount.get(instanceKey) !== crashesBefore;
    if (crash && !crashedSince && !this.#o.stopping()) this.#o.notes?.clear(instanceKey);
    return handled;
  }

  /**
   * Hands `jobs` to the instance's `recover` (resolves `true`); when the instance cannot
   * start or has no `recover`, fails them with `cause` and why (resolves `false`). Rejects
   * only when `recover` itself fails: the jobs then stay as they are, and a crash during
   * `recover` is reconciled again.
   */
  async handBack(instanceKey: string, jobs: Job[], cause: string): Promise<boolean> {
    if (jobs.length === 0) return true;
    let instance: PluginInstance;
    try {
      instance = await this.#o.instance(instanceKey, jobs[0]!.user ?? "*");
    } catch (error) {
      if (this.#o.stopping()) return false;
      const why = this.#o.breakerOpen(instanceKey)
        ? "it kept failing and its circuit breaker is open"
        : `it could not be restarted: ${(error as Error).message}`;
      this.#o.log.error("Plugin instance cannot take its jobs back", {
        instance: instanceKey,
        jobs: jobs.length,
        error,
      });
      return await this.#failAll(jobs, `${cause}; ${why}`);
    }
    if (!instance.recover) {
      return await this.#failAll(
        jobs,
        `${cause}; the plugin does not implement recover() to take it back`,
      );
    }
    await this.#o.recover(instance, jobs);
    return true;
  }

  /** Whether the instance's jobs are settled: handed back, failed, or none were left. */
  async #reconcile(instanceKey: string, reason: string): Promise<boolean> {
    const jobs = await this.#o.liveJobs(instanceKey);
    if (this.#o.stopping()) return false;
    if (jobs.length === 0) return true;
    this.#o.log.warn("Reconciling the jobs of a crashed plugin instance", {
      instance: instanceKey,
      jobs: jobs.length,
      reason,
    });
    try {
      const cause = crashMessage(this.#o.pluginName, reason);
      if (!await this.handBack(instanceKey, jobs, cause)) return !this.#o.stopping();
      this.#o.log.info("Plugin instance took back its jobs after a crash", {
        instance: instanceKey,
        jobs: jobs.length,
      });
      return true;
    } catch (error) {
      // A crash during recover() is reconciled again (its own onCrash); other failures
      // leave the jobs with the plugin, as a failed recover() at start-up does.
      const again = error instanceof LauncherError && error.code === ErrorCode.PluginRestarted;
      this.#o.log.error("Plugin instance could not recover its jobs after a crash", {
        instance: instanceKey,
        jobs: jobs.length,
        error,
        ...(again ? { next: "reconciled again after this crash" } : {}),
      });
      return false;
    }
  }

  /** Fails every job with `message`; `false`, for {@linkcode handBack} to return. */
  async #failAll(jobs: Job[], message: string): Promise<false> {
    await Promise.all(jobs.map((job) => this.#o.fail(job.id, message)));
    this.#o.log.warn("Failed the jobs a plugin instance cannot take back", {
      jobs: jobs.map((job) => job.id),
      statusMessage: message,
    });
    return false;
  }
}

/**
 * What a crash was, for a status message: `Plugin "x" crashed: NotCapable: … (at
 * …/mod.ts:3:9)` when the runner reported it, `Plugin "x" crashed (exit code 1)` otherwise.
 */
export function crashMessage(pluginName: string, reason: string): string {
  const reported = /^crashed: ([\s\S]*)$/.exec(reason);
  return reported
    ? `Plugin "${pluginName}" crashed: ${reported[1]}`
    : `Plugin "${pluginName}" crashed (${reason})`;
}

/** What {@linkcode hostCrashReconciler} builds a reconciler from. */
export interface HostCrashOptions {
  pluginName: string;
  store: Pick<AsyncJobStore, "liveJobs" | "update">;
  pool: Pick<InstancePool, "get" | "breakerOpen" | "closing">;
  recover: CrashReconcilerOptions["recover"];
  /** Where each instance's last crash is kept across a host restart. */
  crashNotes?: CrashNotes;
  log: JsonLogger;
}

/** A reconciler over the host's job store and instance pool. */
export function hostCrashReconciler(o: HostCrashOptions): CrashReconciler {
  const { pool, store, log } = o;
  return new CrashReconciler({
    pluginName: o.pluginName,
    liveJobs: (key) => store.liveJobs(key),
    instance: (key, user) => pool.get(key, user),
    breakerOpen: (key) => pool.breakerOpen(key),
    stopping: () => pool.closing,
    recover: o.recover,
    fail: async (id, statusMessage) => {
      const result = await store.update(id, { status: "Failed", statusMessage });
      if (result?.rejected) log.info("Job ended before it was failed", { job: id });
    },
    ...(o.crashNotes ? { notes: o.crashNotes } : {}),
    log,
  });
}
