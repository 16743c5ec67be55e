import type { JsonLogger } from "../log/mod.ts";
import {
  type ControlResult,
  ErrorCode,
  type JobOperation,
  LauncherError,
  type LoadBalancerNode,
} from "../sdk/mod.ts";
import { type ClusterMode, JobRouting, ownerError, type StreamRequest } from "./job_routing.ts";
import {
  type NodeCall,
  NodeChannel,
  type NodeLease,
  NodeMembership,
  NodeRegistry,
  type NodeStreamEnd,
  type PostgresJobStore,
} from "./job_store/postgres/mod.ts";
import { LISTEN_PROBE_TIMEOUT_MS } from "./job_store/postgres/constants.ts";

/** Options for {@linkcode ClusterNode.join}. */
export interface ClusterNodeOptions {
  store: PostgresJobStore;
  /** Where peers reach this node, recorded with its lease. */
  address: string;
  /** The plugin's manifest `cluster` key: which jobs a survivor adopts. */
  mode: ClusterMode;
  log: JsonLogger;
  /** Lease length (renewed every quarter of it, with jitter, on a connection of its own). */
  leaseMs: number;
  /** Jobs this node took over from a dead node: hand them to their instances. */
  onAdopted: (ids: string[]) => Promise<void>;
  /**
   * This node lost `lease` (a survivor failed or adopted its jobs): stop serving, end the
   * processes of the failed-over jobs and exit, so the Launcher starts a fresh host that
   * joins as a new incarnation.
   */
  onLost: (lease: NodeLease) => void;
  /** Carries out a ControlJob a peer forwarded for one of this node's jobs. */
  onControl: (call: { job: string; op: JobOperation; user: string }) => Promise<ControlResult>;
  /** Serves a stream of one of this node's jobs that a peer forwards. */
  onStream: (request: StreamRequest, signal: AbortSignal) => AsyncIterable<unknown>;
  /** How long a forwarded call may take (or a forwarded stream to open) before it times out. */
  callTimeoutMs: number;
  /** Output files are on storage every node reads: output streams are served locally. */
  sharedOutputFiles?: boolean;
}

/**
 * This host as a member of a load-balanced cluster on one PostgreSQL store: holds a lease
 * (renewed in the background), fails over the nodes whose lease ran out, routes work on
 * jobs ({@linkcode routing}) and compares the Launcher's SetLoadBalancerNodes list with
 * the lease table, which stays the source of truth.
 */
export class ClusterNode implements AsyncDisposable {
  readonly #o: ClusterNodeOptions;
  readonly #registry: NodeRegistry;
  readonly #membership: NodeMembership;
  readonly #channel: NodeChannel;
  #probe: ReturnType<typeof setInterval> | undefined;
  #probing = false;
  /** Where work on another node's job may run. */
  readonly routing: JobRouting;

  private constructor(
    o: ClusterNodeOptions,
    registry: NodeRegistry,
    m: NodeMembership,
    channel: NodeChannel,
  ) {
    this.#o = o;
    this.#registry = registry;
    this.#membership = m;
    this.#channel = channel;
    this.routing = new JobRouting({
      nodeId: o.store.nodeId,
      mode: o.mode,
      isAlive: async (node) => (await this.peers()).some((peer) => peer.id === node),
      forwardControl: async (owner, call) => {
        const reply = await channel.call(owner, call, o.callTimeoutMs);
        if (reply.ok) return reply.result as ControlResult;
        throw new LauncherError(reply.code as never, `${reply.message} (on node "${owner}")`);
      },
      forwardStream: (owner, request, signal) => this.#forwardStream(owner, request, signal),
      ...(o.sharedOutputFiles ? { sharedOutputFiles: true } : {}),
    });
  }

  /** A stream of `owner`'s job, forwarded while `owner` keeps the lease it holds now. */
  async *#forwardStream(owner: string, request: StreamRequest, signal: AbortSignal) {
    const lease = (await this.peers()).find((peer) => peer.id === owner);
    const action = request.kind === "output" ? "read the output of" : "read the resource use of";
    const self = this.#o.store.nodeId;
    const timeoutMs = this.#o.callTimeoutMs;
    const errorOf = (why: NodeStreamEnd["error"] | "gone" | "silent"): Error => {
      if (why === "gone") {
        return ownerError({ job: { id: request.job }, node: owner }, { self, action, gone: true });
      }
      if (why === "silent") {
        return new LauncherError(
          ErrorCode.Timeout,
          `Node "${owner}" did not answer the ${request.kind} stream of job ${request.job} ` +
            `within ${timeoutMs} ms`,
        );
      }
      return new LauncherError(why!.code as never, `${why!.message} (on node "${owner}")`);
    };
    if (!lease) throw errorOf("gone");
    yield* this.#channel.openStream(owner, { ...request }, {
      signal,
      openTimeoutMs: timeoutMs,
      ownerAlive: async () =>
        (await this.peers()).some((p) => p.id === owner && p.incarnation === lease.incarnation),
      errorOf,
    });
  }

  /** Registers this node (a new incarnation), starts renewing, and sweeps dead peers once. */
  static async join(options: ClusterNodeOptions): Promise<ClusterNode> {
    const { store, log, mode } = options;
    const registry = new NodeRegistry(store.sql, { leaseSql: store.leaseSql });
    const late: { node?: ClusterNode } = {};
    const channel = await NodeChannel.open(store.sql, {
      nodeId: store.nodeId,
      channel: store.callChannel,
      handle: (call) => answer(call, options),
      stream: (open, signal) => options.onStream(open as StreamRequest, signal),
      peerAlive: async (node) => (await registry.peers()).some((peer) => peer.id === node),
      peerCheckMs: Math.max(100, Math.floor(options.leaseMs / 3)),
      onError: (error) => log.warn("Dropped a message of the node channel", { error }),
    });
    const membership = await NodeMembership.join({
      registry,
      store,
      address: options.address,
      policy: { adopt: () => mode === "shared-scheduler" },
      leaseMs: options.leaseMs,
      onLost: (lease) => {
        log.error("This node lost its cluster lease; its jobs were failed over", {
          node: lease.id,
          incarnation: lease.incarnation,
        });
        options.onLost(lease);
      },
      onLate: (lateMs) =>
        log.warn("Renewed the cluster lease after it had run out; no peer had claimed it", {
          lateMs,
        }),
      onFailover: (dead, result) => void late.node?.tookOver(dead, result),
      onError: (error, step) =>
        log.warn(
          step === "renew"
            ? "Cannot renew the cluster lease; trying again"
            : "Cannot sweep the cluster for nodes whose lease ran out; trying again",
          { error },
        ),
    });
    const node = late.node = new ClusterNode(options, registry, membership, channel);
    log.info("Joined the cluster", {
      node: store.nodeId,
      incarnation: membership.lease.incarnation,
      address: options.address,
    });
    // Renewals start first: failing over a dead peer's thousand jobs takes longer than a lease.
    membership.run();
    await membership.sweep().catch((error) => log.warn("First cluster sweep failed", { error }));
    node.#probe = setInterval(() => node.#probeListen(), Math.max(100, options.leaseMs / 3));
    return node;
  }

  /** The nodes holding a live lease, this one included. */
  peers(): Promise<NodeLease[]> {
    return this.#registry.peers();
  }

  /** Logs how the Launcher's node list differs from the nodes holding a lease. */
  async compareLoadBalancerNodes(nodes: readonly LoadBalancerNode[]): Promise<void> {
    const leased = (await this.peers()).map((peer) => peer.address);
    const told = nodes.map((node) => node.host + (node.port ? `:${node.port}` : ""));
    const unknown = told.filter((address) => !leased.some((l) => sameHost(l, address)));
    const unlisted = leased.filter((address) => !told.some((t) => sameHost(address, t)));
    this.#o.log.info("Launcher load-balancer nodes", {
      nodes: told,
      withoutLease: unknown,
      leasedButNotListed: unlisted,
    });
  }

  /** Logs a takeover and hands the adopted jobs on (NodeMembership calls it). */
  async tookOver(dead: NodeLease, result: { failed: string[]; adopted: string[] }) {
    this.#o.log.warn("Took over the jobs of a node whose lease ran out", {
      node: dead.id,
      failed: result.failed.length,
      adopted: result.adopted.length,
    });
    if (result.adopted.length === 0) return;
    await this.#o.onAdopted(result.adopted).catch((error) =>
      this.#o.log.error("Cannot hand adopted jobs to their instances", { node: dead.id, error })
    );
  }

  /** Checks that this node's LISTEN connection hears the channel (for `/health`). */
  async #probeListen(): Promise<void> {
    if (this.#probing) return;
    this.#probing = true;
    const { health, where } = this.#o.store;
    try {
      await this.#channel.ping(LISTEN_PROBE_TIMEOUT_MS);
      health.heard();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      health.failed(
        "listen",
        `The change feed of job store ${where} does not hear this node's notifications: ${message}`,
      );
    } finally {
      this.#probing = false;
    }
  }

  /** Stops renewing and leaves the cluster (the jobs stay this node's, for its restart). */
  async [Symbol.asyncDispose](): Promise<void> {
    clearInterval(this.#probe);
    // Side by side: each waits at most SHUTDOWN_QUERY_MS per step for a database that may
    // have stopped answering.
    await Promise.all([
      this.#channel[Symbol.asyncDispose](),
      this.#membership[Symbol.asyncDispose]().catch((error) =>
        this.#o.log.warn("Cannot leave the cluster cleanly", { error })
      ),
    ]);
  }
}

/** Carries out a peer's call here; its error travels back as code and message. */
async function answer(call: NodeCall, options: ClusterNodeOptions) {
  try {
    const op = call.op as JobOperation;
    return { ok: true as const, result: await options.onControl({ ...call, op }) };
  } catch (error) {
    const code = error instanceof LauncherError ? error.code : 0;
    return { ok: false as const, code, message: (error as Error).message ?? String(error) };
  }
}

function sameHost(a: string, b: string): boolean {
  return a === b || a.split(":")[0] === b.split(":")[0];
}
