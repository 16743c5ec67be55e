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
  /** When this incarnation registered, milliseconds since the epoch (the lease clock). */
  registeredMs: number;
}

/** Options for {@linkcode NodeRegistry}. */
export interface NodeRegistryOptions {
  /**
   * Where this node's own lease is written (register, renew, leave): a connection that job
   * writes do not use (`PostgresJobStore.leaseSql`), so a burst of them cannot hold a
   * renewal back past the lease. Default: the pool given first.
   */
  leaseSql?: Sql;
  /** Lease times come from this clock (tests); by default from the database server's. */
  clock?: { now(): Date };
}

// "Now" inside each statement: the test clock's milliseconds when given ($1), else the
// database server's clock at the moment the statement runs. One clock for every node, so
// leases do not depend on the nodes' clocks agreeing, and no time read in one round trip
// goes stale before the next.
const NOW = "coalesce($1::bigint, (extract(epoch FROM clock_timestamp()) * 1000)::bigint)";

const REGISTER = `INSERT INTO nodes AS n
    (id, address, incarnation, state, lease_until_ms, registered_ms)
  VALUES ($2, $3, 1, 'alive', ${NOW} + $4::bigint, ${NOW})
  ON CONFLICT (id) DO UPDATE SET address = excluded.address,
    incarnation = n.incarnation + 1, state = 'alive',
    lease_until_ms = excluded.lease_until_ms, registered_ms = excluded.registered_ms
  RETURNING *`;

// Renewing does not ask whether the lease still holds by the clock: a late renewal whose row
// no peer claimed yet is still this node's lease, and keeps it.
const RENEW = `UPDATE nodes SET lease_until_ms = ${NOW} + $4::bigint
  WHERE id = $2 AND incarnation = $3 AND state = 'alive'
  RETURNING id`;

// A row locked by a renewal in flight is skipped (SKIP LOCKED) rather than waited for: that
// node is renewing, so it is not dead. Each expired row goes to exactly one claimant.
const EXPIRE = `UPDATE nodes AS n SET state = 'expired'
  FROM (SELECT id FROM nodes WHERE state = 'alive' AND lease_until_ms <= ${NOW}
    FOR UPDATE SKIP LOCKED) AS dead
  WHERE n.id = dead.id
  RETURNING n.*`;

const PEERS = `SELECT * FROM nodes WHERE state = 'alive' AND lease_until_ms > ${NOW} ORDER BY id`;

/**
 * Node membership with leases in the `nodes` table. A node registers, renews its lease
 * before it runs out, and leaves when it stops; a survivor's `expire` claims each node whose
 * lease ran out, exactly once across the cluster (one UPDATE … RETURNING), so one node acts
 * on the dead node's jobs. Every lease time is the database server's clock.
 */
export class NodeRegistry {
  readonly #sql: Sql;
  readonly #leaseSql: Sql;
  readonly #clock: { now(): Date } | undefined;

  constructor(sql: Sql, options: NodeRegistryOptions = {}) {
    this.#sql = sql;
    this.#leaseSql = options.leaseSql ?? sql;
    this.#clock = options.clock;
  }

  /** Registers (or re-registers, as a new incarnation) a node with a lease of `leaseMs`. */
  async register(id: string, address: string, leaseMs: number): Promise<NodeLease> {
    checkName(id, "node id");
    checkLease(leaseMs);
    const [row] = await this.#leaseSql.unsafe(REGISTER, [this.#now(), id, address, leaseMs]);
    return leaseOf(row!);
  }

  /**
   * Extends the lease of this incarnation by `leaseMs` from now. `false` when the lease is
   * lost (it expired and was claimed, or a newer incarnation registered): the node must then
   * stop acting as that incarnation.
   */
  async renew(lease: NodeLease, leaseMs: number): Promise<boolean> {
    checkLease(leaseMs);
    const params = [this.#now(), lease.id, lease.incarnation, leaseMs];
    return (await this.#leaseSql.unsafe(RENEW, params)).length === 1;
  }

  /** Marks this incarnation as gone on purpose; its jobs are not failed over. */
  async leave(lease: NodeLease): Promise<void> {
    await this.#leaseSql`UPDATE nodes SET state = 'left'
      WHERE id = ${lease.id} AND incarnation = ${lease.incarnation}`;
  }

  /** Claims the nodes whose lease ran out; each is returned to exactly one caller. */
  async expire(): Promise<NodeLease[]> {
    const rows = await this.#sql.unsafe(EXPIRE, [this.#now()]);
    return rows.map(leaseOf).sort((a, b) => a.id.localeCompare(b.id));
  }

  /** The nodes whose lease holds, by id. */
  async peers(): Promise<NodeLease[]> {
    return (await this.#sql.unsafe(PEERS, [this.#now()])).map(leaseOf);
  }

  /** The test clock's time, or `null` for the database's. */
  #now(): number | null {
    return this.#clock === undefined ? null : this.#clock.now().getTime();
  }
}

function leaseOf(row: Record<string, unknown>): NodeLease {
  return {
    id: String(row.id),
    address: String(row.address),
    incarnation: Number(row.incarnation),
    state: row.state as NodeLease["state"],
    leaseUntilMs: Number(row.lease_until_ms),
    registeredMs: Number(row.registered_ms),
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
