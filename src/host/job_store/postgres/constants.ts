/** The numbers that shape the PostgreSQL job store, each with why. */

/**
 * How many connections one store opens for queries (LISTEN and the node lease use one more
 * each, of their own).
 * Four serve 16 submits in flight; eight measured no faster (commits that NOTIFY serialise).
 */
export const PG_MAX_CONNECTIONS = 4;

/**
 * Seconds a connection attempt may take before the store gives up on it.
 */
export const PG_CONNECT_TIMEOUT_S = 10;

/**
 * A change's notification carries its body, signed, when the whole payload (escaped body,
 * signature, envelope) stays within this many bytes; the nodes then deliver it without
 * reading it back. Otherwise the payload names the change only and nodes read it from
 * `job_changes`. PostgreSQL refuses payloads of 8000 bytes or more.
 */
export const INLINE_PAYLOAD_BYTES = 7_900;

/**
 * After a reconnect the feed fetches changes recorded since the previous connect minus
 * this margin: a change's `recorded_at` is taken inside its transaction, before its commit,
 * so a transaction in flight at the reconnect may carry an older time.
 */
export const CATCH_UP_MARGIN_MS = 5_000;

/**
 * How often a failed catch-up (the pool still reconnecting) is tried.
 */
export const CATCH_UP_ATTEMPTS = 5;

/**
 * The pause between catch-up attempts.
 */
export const CATCH_UP_RETRY_MS = 1_000;

/**
 * How many removed job numbers the change feed remembers, to skip repeats.
 */
export const SEEN_LIMIT = 100_000;

/**
 * How long a write waits for its own notification to come back through LISTEN before it
 * resolves anyway (the listen connection may be reconnecting; the change is committed).
 */
export const OWN_NOTIFICATION_WAIT_MS = 2_000;

/**
 * Changes and tombstones older than this are pruned by `expire()`: far longer than any
 * reconnect the catch-up has to cover.
 */
export const HISTORY_RETENTION_MS = 3_600_000;

/**
 * A node is taken for dead this long after its last renewal. Long enough to ride out a
 * stop-the-world pause or a database failover of a few seconds; short enough that a dead
 * node's local jobs are marked Failed within a quarter of a minute.
 */
export const NODE_LEASE_MS = 15_000;

/**
 * A node renews its lease every this fraction of it (3.75 s of 15 s), so three renewals in a
 * row may fail or be late before a peer may claim it.
 */
export const NODE_RENEW_FRACTION = 0.25;

/**
 * Each renewal interval is moved by up to this fraction of itself, at random, either way:
 * nodes started together (a cluster restart) do not renew, and sweep, in lockstep.
 */
export const NODE_RENEW_JITTER = 0.2;

/**
 * After a failed renewal (the lease connection reconnecting) the next try comes after this
 * fraction of the usual interval, to renew again well before the lease runs out.
 */
export const NODE_RENEW_RETRY_FRACTION = 0.25;

/**
 * At most this many submits go into one insert statement (group commit). Submits that
 * arrive while a batch is written wait for the next; 64 keeps one statement small (jobs are
 * a few kB) while 16 submits in flight on each of several nodes still share flushes.
 */
export const INSERT_BATCH_MAX = 64;

/**
 * A stream forwarded between nodes keeps at most this many messages sent but not yet
 * consumed by the requesting node: enough to keep a fast output stream moving while the
 * acknowledgements travel, few enough that a stalled consumer stops the owner's reads.
 */
export const STREAM_WINDOW = 32;

/**
 * A forwarded stream's owner reads at most this many items ahead of what it has sent, so
 * items that queue up while one message is sent go together in the next.
 */
export const STREAM_QUEUE_MAX = 256;

/** The requesting node acknowledges at least every this many consumed messages. */
export const STREAM_ACK_EVERY = 8;

/**
 * A forwarded stream's owner sends its unacknowledged messages again when no
 * acknowledgement came for this long (a notification lost while a LISTEN connection was
 * reconnecting); the requester opens again this often until the owner answers.
 */
export const STREAM_RETRANSMIT_MS = 1_000;

/**
 * A node checks its LISTEN connection by sending itself a note once per renewal; the
 * store is reported failing when the note does not come back within this long. Far above
 * a loopback or LAN round trip (milliseconds), well below a lease.
 */
export const LISTEN_PROBE_TIMEOUT_MS = 2_000;

/**
 * How long a shutdown step waits for the database (an UNLISTEN, leaving the cluster, a lease
 * renewal in flight) before it goes on without it: a server that stopped answering, with the
 * connections still open, kept a host from ever exiting on SIGTERM.
 */
export const SHUTDOWN_QUERY_MS = 3_000;
