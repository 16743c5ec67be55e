import type { JsonLogger } from "../log/mod.ts";
import type { Job, JobFilter, JobsHandle, JobUpdate } from "../sdk/mod.ts";
import type { AsyncJobStore } from "./job_store/store_interface.ts";

/**
 * The `ctx.jobs` of one plugin instance: it sees and changes only the jobs it owns (and,
 * in a shared store, only this node's). A refused change (a terminal status regressing)
 * is logged and the job returned unchanged.
 */
export function jobsHandleFor(
  store: AsyncJobStore,
  instanceKey: string,
  log: JsonLogger,
): JobsHandle {
  const self = store.nodeId;
  const owned = async (id: string): Promise<Job | undefined> => {
    const stored = await store.get(id);
    if (stored?.instanceKey !== instanceKey) return undefined;
    if (self !== undefined && stored.node !== undefined && stored.node !== self) return undefined;
    return stored.job;
  };
  return {
    get: owned,
    list: (filter?: JobFilter) => store.listByInstance(instanceKey, filter),
    async update(id: string, change: JobUpdate) {
      if (!await owned(id)) return undefined;
      const result = await store.update(id, change);
      if (result?.rejected) log.warn("Refused a job change", { job: id, reason: result.rejected });
      return result?.job;
    },
  };
}
