import { type ControlResult, ErrorCode, type JobOperation, LauncherError } from "../sdk/mod.ts";
import type { StoredJob } from "./job_store/mod.ts";

/**
 * How a plugin's jobs relate to the node that submitted them (manifest key `cluster`):
 * `shared-scheduler` jobs run on a scheduler every node can drive (slurm), so any node
 * may control them and a survivor adopts them; `node-local` jobs run on, or are simulated
 * by, the node that submitted them and only that node can act on them.
 */
export type ClusterMode = "shared-scheduler" | "node-local";

/** A stream of another node's job, as the owner is asked to forward it. */
export interface StreamRequest {
  job: string;
  kind: "output" | "resources";
  user: string;
  wanted?: string;
}

/** What work on a job is asked for: its control, its output, or its resource use. */
export type JobWork = "control" | StreamRequest["kind"];

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
  /** Has the owning node forward a stream of its job (the node-to-node channel). */
  forwardStream?: (owner: string, request: StreamRequest, signal: AbortSignal) => AsyncIterable<
    unknown
  >;
  /**
   * Output files sit on storage every node reads at the same paths (`shared-output-files`):
   * any node serves a job's output stream itself.
   */
  sharedOutputFiles?: boolean;
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

  /** Whether this node may do `work` on `stored` itself. */
  isLocal(stored: StoredJob, work: JobWork = "control"): boolean {
    const self = this.#o.nodeId;
    if (self === undefined || stored.node === undefined || stored.node === self) return true;
    if (work === "output" && this.#o.sharedOutputFiles) return true;
    return this.#o.mode === "shared-scheduler";
  }

  /**
   * Has the owning node forward a stream of a job this node may not serve: rejects naming
   * the owner when it is gone or no channel reaches it.
   */
  async *streamElsewhere(
    stored: StoredJob,
    request: StreamRequest,
    action: string,
    signal: AbortSignal,
  ): AsyncIterable<unknown> {
    const forward = this.#o.forwardStream;
    if (!forward || await this.#o.isAlive?.(stored.node!).catch(() => undefined) === false) {
      await this.requireLocal(stored, action, request.kind);
    }
    yield* forward!(stored.node!, request, signal);
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
  async requireLocal(stored: StoredJob, action: string, work: JobWork = "control"): Promise<void> {
    if (this.isLocal(stored, work)) return;
    const owner = stored.node!;
    const alive = await this.#o.isAlive?.(owner).catch(() => undefined);
    throw ownerError(stored, { self: this.#o.nodeId, action, gone: alive === false });
  }
}

/** The error for work on a job only its owner may do: the owner is gone, or elsewhere. */
export function ownerError(
  stored: Pick<StoredJob, "node"> & { job: { id: string } },
  o: { self: string | undefined; action: string; gone: boolean },
): LauncherError {
  const state = o.gone
    ? `which is no longer a member of the cluster`
    : `where its process runs; send the request through that node`;
  return new LauncherError(
    o.gone ? ErrorCode.JobControlFailure : ErrorCode.RequestNotSupported,
    `Cannot ${o.action} job ${stored.job.id} on node "${o.self}": ` +
      `the job belongs to node "${stored.node}", ${state}`,
  );
}
