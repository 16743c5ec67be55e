import type { JsonLogger } from "../log/mod.ts";
import type { Job, JobFilter, JobsHandle, JobUpdate } from "../sdk/mod.ts";
import type { AsyncJobStore } from "./job_store/store_interface.ts";

/**
 * The `ctx.jobs` of one plugin instance: it sees and changes only the jobs it owns (and,
 * in a shared store, only this node's). A refused change (a terminal status regressing)
 * is logged and the job returned unchanged. With `seeOtherNodes` (`shared-output-files`),
 * `get` also reads other nodes' jobs of the instance, so it can follow their output files.
 */
export function jobsHandleFor(
  store: AsyncJobStore,
  instanceKey: string,
  o: { log: JsonLogger; seeOtherNodes?: boolean },
): JobsHandle {
  const self = store.nodeId;
  const mine = async (id: string, anyNode: boolean): Promise<Job | undefined> => {
    const stored = await store.get(id);
    if (stored?.instanceKey !== instanceKey) return undefined;
    if (anyNode || self === undefined || stored.node === undefined) return stored.job;
    return stored.node === self ? stored.job : undefined;
  };
  const owned = (id: string) => mine(id, false);
  const log = o.log;
  return {
    get: (id) => mine(id, o.seeOtherNodes ?? false),
    list: (filter?: JobFilter) => store.listByInstance(instanceKey, filter),
    async update(id: string, change: JobUpdate) {
      if (!await owned(id)) return undefined;
      const result = await store.update(id, change);
      if (result?.rejected) log.warn("Refused a job change", { job: id, reason: result.rejected });
      return result?.job;
    },
  };
}
