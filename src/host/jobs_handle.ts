import type { JsonLogger } from "../log/mod.ts";
import type { Job, JobFilter, JobsHandle, JobUpdate } from "../sdk/mod.ts";
import type { JobStore } from "./job_store/mod.ts";

/**
 * The `ctx.jobs` of one plugin instance: it sees and changes only the jobs it owns. A
 * refused change (a terminal status regressing) is logged and the job returned unchanged.
 */
export function jobsHandleFor(store: JobStore, instanceKey: string, log: JsonLogger): JobsHandle {
  const owned = (id: string): Job | undefined => {
    const stored = store.get(id);
    return stored?.instanceKey === instanceKey ? stored.job : undefined;
  };
  return {
    get: (id: string) => Promise.resolve(owned(id)),
    list: (filter?: JobFilter) => Promise.resolve(store.listByInstance(instanceKey, filter)),
    update(id: string, change: JobUpdate) {
      if (!owned(id)) return Promise.resolve(undefined);
      const result = store.update(id, change);
      if (result?.rejected) log.warn("Refused a job change", { job: id, reason: result.rejected });
      return Promise.resolve(result?.job);
    },
  };
}
