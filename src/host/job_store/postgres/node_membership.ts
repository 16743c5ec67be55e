import { NODE_LEASE_MS, NODE_RENEW_MS } from "./constants.ts";
import { failOver, type FailoverPolicy, type FailoverResult } from "./failover.ts";
import type { NodeLease, NodeRegistry } from "./node_registry.ts";
import type { PostgresJobStore } from "./postgres_job_store.ts";

/** Options for {@linkcode NodeMembership.join}. */
export interface NodeMembershipOptions {
  registry: NodeRegistry;
  /** The store of this node; its `nodeId` is the node's name. */
  store: PostgresJobStore;
  /** Where peers reach this node (`host:port`). */
  address: string;
  /** Which of a dead node's jobs this node adopts rather than fails. */
  policy: FailoverPolicy;
  leaseMs?: number;
  renewMs?: number;
  /** The lease was lost (expired and claimed, or re-registered elsewhere): stop acting. */
  onLost?: (lease: NodeLease) => void;
  /** This node took over a dead node. */
  onFailover?: (dead: NodeLease, result: FailoverResult) => void;
  /** A renewal or sweep failed; the next tick tries again. */
  onError?: (error: unknown) => void;
}

/**
 * This node's membership of the cluster: registers, then on every tick renews its lease
 * and claims and fails over the nodes whose lease ran out. `run` ticks every `renewMs`
 * until the membership is disposed, which leaves the cluster. After the lease is lost the
 * membership stops ticking and reports it once; the host then stops driving its local jobs
 * (a survivor has failed or adopted them) and may join again as a new incarnation.
 */
export class NodeMembership implements AsyncDisposable {
  readonly #o: NodeMembershipOptions;
  readonly #stop = new AbortController();
  #lease: NodeLease;
  #lost = false;
  #running: Promise<void> | undefined;

  private constructor(options: NodeMembershipOptions, lease: NodeLease) {
    this.#o = options;
    this.#lease = lease;
  }

  /** Registers this node (a new incarnation) and returns its membership, not yet ticking. */
  static async join(options: NodeMembershipOptions): Promise<NodeMembership> {
    const leaseMs = options.leaseMs ?? NODE_LEASE_MS;
    const lease = await options.registry.register(options.store.nodeId, options.address, leaseMs);
    return new NodeMembership(options, lease);
  }

  get lease(): NodeLease {
    return this.#lease;
  }

  /** Whether the lease was lost. */
  get lost(): boolean {
    return this.#lost;
  }

  /** Renews the lease, then fails over every node whose lease ran out. */
  async tick(): Promise<void> {
    if (this.#lost) return;
    const { registry, store, policy } = this.#o;
    const renewed = await registry.renew(this.#lease, this.#o.leaseMs ?? NODE_LEASE_MS)
      .catch((error) => {
        const message = error instanceof Error ? error.message : String(error);
        store.health.failed(
          "renew",
          `Cannot renew the lease of node "${store.nodeId}" in job store ${store.where}: ${message}`,
        );
        throw error;
      });
    store.health.committed();
    if (!renewed) {
      this.#lost = true;
      this.#o.onLost?.(this.#lease);
      return;
    }
    for (const dead of await registry.expire()) {
      this.#o.onFailover?.(dead, await failOver(store, dead, policy));
    }
  }

  /** Ticks every `renewMs` until disposed or the lease is lost; errors go to `onError`. */
  run(): void {
    this.#running ??= this.#loop();
  }

  async #loop(): Promise<void> {
    const signal = this.#stop.signal;
    while (!signal.aborted && !this.#lost) {
      await pause(this.#o.renewMs ?? NODE_RENEW_MS, signal);
      if (signal.aborted) return;
      await this.tick().catch((error) => this.#o.onError?.(error));
    }
  }

  /** Stops ticking and leaves the cluster (unless the lease was already lost). */
  async [Symbol.asyncDispose](): Promise<void> {
    this.#stop.abort();
    await this.#running;
    if (!this.#lost) await this.#o.registry.leave(this.#lease);
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
