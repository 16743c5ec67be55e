import {
  NODE_LEASE_MS,
  NODE_RENEW_FRACTION,
  NODE_RENEW_JITTER,
  NODE_RENEW_RETRY_FRACTION,
  SHUTDOWN_QUERY_MS,
} from "./constants.ts";
import { within } from "./_within.ts";
import { failOver, type FailoverPolicy, type FailoverResult } from "./failover.ts";
import type { NodeLease, NodeRegistry } from "./node_registry.ts";
import type { PostgresJobStore } from "./postgres_job_store.ts";

/** Options for {@linkcode NodeMembership.join}. */
export interface NodeMembershipOptions {
  /** Build it with the store's `leaseSql`, so renewals have a connection of their own. */
  registry: NodeRegistry;
  /** The store of this node; its `nodeId` is the node's name. */
  store: PostgresJobStore;
  /** Where peers reach this node (`host:port`). */
  address: string;
  /** Which of a dead node's jobs this node adopts rather than fails. */
  policy: FailoverPolicy;
  /** The lease length; the one place it is read (`NODE_LEASE_MS` by default). */
  leaseMs?: number;
  /** The mean interval of renewals and sweeps: `NODE_RENEW_FRACTION` of the lease by default. */
  renewMs?: number;
  /** The jitter's source, in [0, 1) (tests); `Math.random` by default. */
  random?: () => number;
  /** The lease was lost (expired and claimed, or re-registered elsewhere): stop acting. */
  onLost?: (lease: NodeLease) => void;
  /** A renewal came after the lease had run out here, but no peer had claimed it: kept. */
  onLate?: (lateMs: number) => void;
  /** This node took over a dead node. */
  onFailover?: (dead: NodeLease, result: FailoverResult) => void;
  /** A renewal or a sweep failed; it is tried again. */
  onError?: (error: unknown, step: "renew" | "sweep") => void;
}

/**
 * This node's membership of the cluster: registers, then renews its lease and, apart from
 * that, sweeps: claims and fails over the nodes whose lease ran out. `run` starts both
 * loops, each every `renewMs` with jitter; a sweep that fails over a thousand jobs never
 * holds a renewal back. Disposing stops them and leaves the cluster. After the lease is
 * lost the membership stops and reports it once; the host then stops driving its local jobs
 * (a survivor has failed or adopted them) and may join again as a new incarnation.
 */
export class NodeMembership implements AsyncDisposable {
  readonly #o: NodeMembershipOptions;
  readonly #stop = new AbortController();
  readonly #leaseMs: number;
  readonly #renewMs: number;
  #lease: NodeLease;
  #lost = false;
  /** When (`performance.now()`) the lease last known to hold runs out, by this node's count. */
  #holdsUntil: number;
  #running: Promise<unknown> | undefined;

  private constructor(options: NodeMembershipOptions, lease: NodeLease, sentAt: number) {
    this.#o = options;
    this.#lease = lease;
    this.#leaseMs = options.leaseMs ?? NODE_LEASE_MS;
    this.#renewMs = options.renewMs ?? Math.max(1, this.#leaseMs * NODE_RENEW_FRACTION);
    this.#holdsUntil = sentAt + this.#leaseMs;
  }

  /** Registers this node (a new incarnation) and returns its membership, not yet running. */
  static async join(options: NodeMembershipOptions): Promise<NodeMembership> {
    const sentAt = performance.now();
    const leaseMs = options.leaseMs ?? NODE_LEASE_MS;
    const lease = await options.registry.register(options.store.nodeId, options.address, leaseMs);
    return new NodeMembership(options, lease, sentAt);
  }

  get lease(): NodeLease {
    return this.#lease;
  }

  /** Whether the lease was lost. */
  get lost(): boolean {
    return this.#lost;
  }

  /** Renews the lease, then sweeps (tests and the first sweep at start-up). */
  async tick(): Promise<void> {
    if (await this.renew()) await this.sweep();
  }

  /** Renews the lease; `false` once it is lost (reported to `onLost`, once). */
  async renew(): Promise<boolean> {
    if (this.#lost) return false;
    const sentAt = performance.now();
    const { store } = this.#o;
    const held = await this.#o.registry.renew(this.#lease, this.#leaseMs).catch((error) => {
      const message = error instanceof Error ? error.message : String(error);
      store.health.failed(
        "renew",
        `Cannot renew the lease of node "${store.nodeId}" in job store ${store.where}: ${message}`,
      );
      throw error;
    });
    store.health.committed();
    if (!held) {
      // Answered after this node left (a shutdown that did not wait for it): not a loss.
      if (this.#stop.signal.aborted) return false;
      if (!this.#lost) this.#o.onLost?.(this.#lease);
      this.#lost = true;
      return false;
    }
    const late = performance.now() - this.#holdsUntil;
    if (late > 0) this.#o.onLate?.(Math.round(late));
    // The lease now holds from when the renewal was sent at the latest.
    this.#holdsUntil = Math.max(this.#holdsUntil, sentAt + this.#leaseMs);
    return true;
  }

  /** Claims each node whose lease ran out and fails over its jobs. */
  async sweep(): Promise<void> {
    if (this.#lost) return;
    const { registry, store, policy } = this.#o;
    for (const dead of await registry.expire()) {
      this.#o.onFailover?.(dead, await failOver(store, dead, policy));
    }
  }

  /** Renews and sweeps, each in its own loop, until disposed or the lease is lost. */
  run(): void {
    this.#running ??= Promise.all([
      this.#loop("renew", () => this.renew()),
      this.#loop("sweep", () => this.sweep()),
    ]);
  }

  async #loop(name: "renew" | "sweep", step: () => Promise<unknown>): Promise<void> {
    const signal = this.#stop.signal;
    let failed = false;
    while (!signal.aborted && !this.#lost) {
      await pause(this.#delay(failed), signal);
      if (signal.aborted) return;
      failed = await step().then(() => false, (error) => {
        this.#o.onError?.(error, name);
        return true;
      });
    }
  }

  #delay(failed: boolean): number {
    return renewalDelay(this.#renewMs, { random: this.#o.random ?? Math.random, failed });
  }

  /** Stops both loops and leaves the cluster (unless the lease was already lost). */
  async [Symbol.asyncDispose](): Promise<void> {
    this.#stop.abort();
    // A renewal or sweep in flight on a server that stopped answering never settles.
    await within(Promise.resolve(this.#running), SHUTDOWN_QUERY_MS, "The last renewal")
      .catch(() => {});
    if (this.#lost) return;
    await within(this.#o.registry.leave(this.#lease), SHUTDOWN_QUERY_MS, "Leaving the cluster");
  }
}

/**
 * The pause before the next renewal (or sweep): `renewMs` moved by up to
 * ±`NODE_RENEW_JITTER` of itself as `random()` (in [0, 1)) says; a fraction of that after
 * a `failed` one.
 */
export function renewalDelay(
  renewMs: number,
  options: { random: () => number; failed: boolean },
): number {
  const ms = renewMs * (1 + NODE_RENEW_JITTER * (2 * options.random() - 1));
  return options.failed ? ms * NODE_RENEW_RETRY_FRACTION : ms;
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
