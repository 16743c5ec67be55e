import { type ControlResult, ErrorCode, type JobOperation, LauncherError } from "../sdk/mod.ts";
import type { StoredJob } from "./job_store/mod.ts";

/**
 * How a plugin's jobs relate to the node that submitted them (manifest key `cluster`):
 * `shared-scheduler` jobs run on a scheduler every node can drive (slurm), so any node
 * may control them and a survivor adopts them; `node-local` jobs run on, or are simulated
 * by, the node that submitted them and only that node can act on them.
 */
export type ClusterMode = "shared-scheduler" | "node-local";

/** What {@linkcode JobRouting} needs to know about this node and its peers. */
export interface JobRoutingOptions {
  /** This node's name; absent when the store is this node's alone. */
  nodeId?: string;
  mode: ClusterMode;
  /** Whether a peer currently holds a live lease (for the error's wording). */
  isAlive?: (node: string) => Promise<boolean>;
  /** Has the owning node carry out a ControlJob (the node-to-node channel). */
  forwardControl?: (
    owner: string,
    call: { job: string; op: JobOperation; user: string },
  ) => Promise<ControlResult>;
}

/**
 * Decides where work on a job may run: here, when the job is this node's or its plugin's
 * scheduler is shared; otherwise the request is refused with an error naming the node
 * that owns the job, and whether that node is still a member of the cluster.
 */
export class JobRouting {
  readonly #o: JobRoutingOptions;

  constructor(options: JobRoutingOptions) {
    this.#o = options;
  }

  /** Whether this node may act on `stored` itself. */
  isLocal(stored: StoredJob): boolean {
    const self = this.#o.nodeId;
    if (self === undefined || stored.node === undefined || stored.node === self) return true;
    return this.#o.mode === "shared-scheduler";
  }

  /**
   * Has the owning node control a job this node may not drive: rejects naming the owner
   * when it is gone or no channel reaches it.
   */
  async controlElsewhere(
    stored: StoredJob,
    op: JobOperation,
    user: string,
  ): Promise<ControlResult> {
    const owner = stored.node!;
    const forward = this.#o.forwardControl;
    if (!forward || await this.#o.isAlive?.(owner).catch(() => undefined) === false) {
      await this.requireLocal(stored, `${op} (ControlJob)`);
    }
    return await forward!(owner, { job: stored.job.id, op, user });
  }

  /** Resolves when this node may `action` the job; rejects naming the owner otherwise. */
  async requireLocal(stored: StoredJob, action: string): Promise<void> {
    if (this.isLocal(stored)) return;
    const owner = stored.node!;
    const alive = await this.#o.isAlive?.(owner).catch(() => undefined);
    const state = alive === false
      ? `which is no longer a member of the cluster`
      : `where its process runs; send the request through that node`;
    throw new LauncherError(
      alive === false ? ErrorCode.JobControlFailure : ErrorCode.RequestNotSupported,
      `Cannot ${action} job ${stored.job.id} on node "${this.#o.nodeId}": ` +
        `the job belongs to node "${owner}", ${state}`,
    );
  }
}
