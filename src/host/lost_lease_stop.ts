import type { JsonLogger } from "../log/mod.ts";
import type { Job } from "../sdk/mod.ts";
import { LOST_LEASE_STOP_MS, LOST_LEASE_STOP_PARALLEL } from "./constants.ts";
import type { InstancePool, PluginInstance } from "./instance_pool.ts";
import {
  type NodeLease,
  nodeLostMessage,
  type PgStoredJob,
  type PostgresJobStore,
} from "./job_store/postgres/mod.ts";

/** What {@linkcode stopLostJobs} needs: the store, the instances, the lease that was lost. */
export interface LostJobsOptions {
  store: Pick<PostgresJobStore, "failedJobsOfNode">;
  pool: Pick<InstancePool, "health" | "get">;
  lease: NodeLease;
  /** The lease length: the margin allowed between the survivor's clock and the lease clock. */
  leaseMs: number;
  log: JsonLogger;
  /** The whole stop's bound (`LOST_LEASE_STOP_MS` by default). */
  timeoutMs?: number;
}

/** What {@linkcode stopLostJobs} did, by job ID. */
export interface LostJobsOutcome {
  /** The plugin killed the job's process (its kill completed). */
  stopped: string[];
  /** The plugin had no process for it, or did not complete the kill in time, or failed. */
  notStopped: string[];
}

/**
 * Before a node that lost its lease exits: ends the processes of the jobs a survivor failed
 * over from this incarnation. The store already says `Failed`, so ControlJob's status check
 * would refuse; each running instance is asked directly (the plugin's `controlJob` with
 * `kill`), and the plugin kills what it still runs (the local plugin: the job's process
 * group). Instances that are not running are not started. Bounded by `timeoutMs` in all.
 */
export async function stopLostJobs(o: LostJobsOptions): Promise<LostJobsOutcome> {
  const { lease, log } = o;
  const signal = AbortSignal.timeout(o.timeoutMs ?? LOST_LEASE_STOP_MS);
  const outcome: LostJobsOutcome = { stopped: [], notStopped: [] };
  const named = { node: lease.id, incarnation: lease.incarnation };
  let jobs: PgStoredJob[] | undefined;
  try {
    // The survivor stamps the failure with its own clock: allow a lease of difference.
    const since = lease.registeredMs - o.leaseMs;
    const listing = o.store.failedJobsOfNode(lease.id, {
      message: nodeLostMessage(lease.id),
      sinceMs: since,
    });
    jobs = await untilAborted(listing, signal);
  } catch (error) {
    log.error("Cannot list the jobs failed over from this node's lost lease", { ...named, error });
    return outcome;
  }
  if (jobs === undefined) {
    log.error("Cannot list the jobs failed over from this node's lost lease in time", named);
    return outcome;
  }
  const running = new Set(
    o.pool.health().filter((h) => h.state === "running").map((h) => h.instance),
  );
  const queue = [...jobs];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const done = running.has(next.instanceKey) && !signal.aborted &&
        await kill(o.pool, next, signal, log);
      (done ? outcome.stopped : outcome.notStopped).push(next.job.id);
    }
  };
  await Promise.all(Array.from({ length: LOST_LEASE_STOP_PARALLEL }, worker));
  log.warn("Stopped the processes of the jobs failed over from this node's lost lease", {
    ...named,
    stopped: outcome.stopped.length,
    notStopped: outcome.notStopped,
    ...(signal.aborted ? { timedOut: true } : {}),
  });
  return outcome;
}

/** Asks the instance of `stored` to kill it; whether the kill completed before `signal`. */
async function kill(
  pool: LostJobsOptions["pool"],
  stored: PgStoredJob,
  signal: AbortSignal,
  log: JsonLogger,
): Promise<boolean> {
  const { job } = stored;
  try {
    const instance: PluginInstance = await pool.get(stored.instanceKey, job.user ?? "");
    const result = await untilAborted(instance.controlJob(job as Job, "kill", { signal }), signal);
    return result?.operationComplete === true;
  } catch (error) {
    log.warn("Cannot kill a job failed over from this node's lost lease", { job: job.id, error });
    return false;
  }
}

/** `work`'s value, or `undefined` once `signal` aborts (a plugin that ignores the signal). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    const abort = () => resolve(undefined);
    signal.addEventListener("abort", abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", abort));
  });
}
