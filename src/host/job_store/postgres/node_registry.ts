import type { Sql } from "postgres";

/** A Launcher node as the `nodes` table records it. */
export interface NodeLease {
  /** The node's name, unique in the cluster (e.g. its host name). */
  id: string;
  /** Where peers reach it (`host:port`), as SetLoadBalancerNodes names it. */
  address: string;
  /** Raised at each registration, so a node that comes back is a new incarnation. */
  incarnation: number;
  /** `alive` while its lease holds; `expired` once a survivor claimed it; `left` on leave. */
  state: "alive" | "expired" | "left";
  /** Milliseconds since the epoch until which the lease holds. */
  leaseUntilMs: number;
}

/** Options for {@linkcode NodeRegistry}. */
export interface NodeRegistryOptions {
  /** Lease times come from this clock; by default from the database server's clock. */
  clock?: { now(): Date };
}

// The database's clock in milliseconds, used when no clock is given: one clock for every
// node, so leases do not depend on the nodes' clocks agreeing.
const DB_NOW = "(extract(epoch FROM clock_timestamp()) * 1000)::bigint";

/**
 * Node membership with leases in the `nodes` table. A node registers, renews its lease
 * before it runs out, and leaves when it stops; a survivor's `expire` claims each node whose
 * lease ran out, exactly once across the cluster (one UPDATE … RETURNING), so one node acts
 * on the dead node's jobs.
 */
export class NodeRegistry {
  readonly #sql: Sql;
  readonly #clock: { now(): Date } | undefined;

  constructor(sql: Sql, options: NodeRegistryOptions = {}) {
    this.#sql = sql;
    this.#clock = options.clock;
  }

  /** Registers (or re-registers, as a new incarnation) a node with a lease of `leaseMs`. */
  async register(id: string, address: string, leaseMs: number): Promise<NodeLease> {
    checkName(id, "node id");
    checkLease(leaseMs);
    const now = await this.#now();
    const [row] = await this.#sql`INSERT INTO nodes AS n
        (id, address, incarnation, state, lease_until_ms, registered_ms)
      VALUES (${id}, ${address}, 1, 'alive', ${now + leaseMs},
        ${now})
      ON CONFLICT (id) DO UPDATE SET address = excluded.address,
        incarnation = n.incarnation + 1, state = 'alive',
        lease_until_ms = excluded.lease_until_ms, registered_ms = excluded.registered_ms
      RETURNING *`;
    return leaseOf(row!);
  }

  /**
   * Extends the lease of this incarnation by `leaseMs` from now. `false` when the lease is
   * lost (it expired and was claimed, or a newer incarnation registered): the node must then
   * stop acting as that incarnation.
   */
  async renew(lease: NodeLease, leaseMs: number): Promise<boolean> {
    checkLease(leaseMs);
    const now = await this.#now();
    const rows = await this.#sql`UPDATE nodes
      SET lease_until_ms = ${now + leaseMs}
      WHERE id = ${lease.id} AND incarnation = ${lease.incarnation} AND state = 'alive'
      RETURNING id`;
    return rows.length === 1;
  }

  /** Marks this incarnation as gone on purpose; its jobs are not failed over. */
  async leave(lease: NodeLease): Promise<void> {
    await this.#sql`UPDATE nodes SET state = 'left'
      WHERE id = ${lease.id} AND incarnation = ${lease.incarnation}`;
  }

  /** Claims the nodes whose lease ran out; each is returned to exactly one caller. */
  async expire(): Promise<NodeLease[]> {
    const now = await this.#now();
    const rows = await this.#sql`UPDATE nodes SET state = 'expired'
      WHERE state = 'alive' AND lease_until_ms <= ${now}
      RETURNING *`;
    return rows.map(leaseOf).sort((a, b) => a.id.localeCompare(b.id));
  }

  /** The nodes whose lease holds, by id. */
  async peers(): Promise<NodeLease[]> {
    const now = await this.#now();
    const rows = await this.#sql`SELECT * FROM nodes
      WHERE state = 'alive' AND lease_until_ms > ${now}
      ORDER BY id`;
    return rows.map(leaseOf);
  }

  async #now(): Promise<number> {
    if (this.#clock !== undefined) return this.#clock.now().getTime();
    const [row] = await this.#sql.unsafe(`SELECT ${DB_NOW} AS ms`);
    return Number(row!.ms);
  }
}

function leaseOf(row: Record<string, unknown>): NodeLease {
  return {
    id: String(row.id),
    address: String(row.address),
    incarnation: Number(row.incarnation),
    state: row.state as NodeLease["state"],
    leaseUntilMs: Number(row.lease_until_ms),
  };
}

function checkName(value: string, what: string): void {
  if (typeof value !== "string" || value === "") {
    throw new TypeError(`Cannot register node: ${what} must be a non-empty string`);
  }
}

function checkLease(leaseMs: number): void {
  if (!Number.isSafeInteger(leaseMs) || leaseMs <= 0) {
    throw new RangeError(`Cannot hold a node lease: ${leaseMs} ms is not a positive integer`);
  }
}
