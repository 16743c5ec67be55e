import type { NodeLease } from "./node_registry.ts";
import type { PgStoredJob, PostgresJobStore } from "./postgres_job_store.ts";

/** Which of a dead node's live jobs a survivor takes over instead of failing them. */
export interface FailoverPolicy {
  /**
   * `true` for a job any node can keep driving (a scheduler's job, e.g. slurm's, which runs
   * on the cluster and not on the dead node); `false` for a job that ran on the dead node
   * itself (the local plugin's), which died with it.
   */
  adopt(job: PgStoredJob): boolean;
}

/** What {@linkcode failOver} did, by job ID. */
export interface FailoverResult {
  failed: string[];
  adopted: string[];
}

/** The status message of a job that died with its node. */
export function nodeLostMessage(node: string): string {
  return `Node "${node}" stopped renewing its lease; the job ran there and is lost with it`;
}

/**
 * Acts on the live jobs of a node `NodeRegistry.expire` handed to this node: each is
 * adopted by this store's node or set `Failed` with a message naming the dead node. Failed
 * jobs are terminal, so a dead node that comes back cannot set them running again; adopted
 * jobs are no longer its own, so its recovery does not pick them up twice.
 */
export async function failOver(
  store: PostgresJobStore,
  dead: NodeLease,
  policy: FailoverPolicy,
): Promise<FailoverResult> {
  const result: FailoverResult = { failed: [], adopted: [] };
  for (const stored of await store.jobsOfNode(dead.id, { live: true })) {
    const id = stored.job.id;
    if (policy.adopt(stored)) {
      if (await store.reassign(id, dead.id, store.nodeId)) result.adopted.push(id);
      continue;
    }
    const change = await store.update(id, {
      status: "Failed",
      statusMessage: nodeLostMessage(dead.id),
    });
    if (change?.changed) result.failed.push(id);
  }
  return result;
}
