/** Default deadline of one plugin call, when the manifest sets no `limits.request_timeout_s`. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** How often terminal jobs past `--job-expiry-hours` are removed from the store. */
export const EXPIRY_SWEEP_MS = 5 * 60_000;

/** How long shutdown waits for requests in flight and plugin instances to stop. */
export const SHUTDOWN_GRACE_MS = 10_000;

/** The tag prefix that marks an idempotency key on a submitted job. */
export const IDEMPOTENCY_TAG_PREFIX = "idempotency:";

/** First restart delay after a crash or failed health check. */
export const RESTART_BACKOFF_BASE_MS = 1_000;

/** Each further consecutive failure multiplies the delay by this. */
export const RESTART_BACKOFF_FACTOR = 2;

/** Restart delays never exceed this. */
export const RESTART_BACKOFF_CAP_MS = 30_000;

/** Delays vary by up to ±20 % so many instances do not restart in lockstep. */
export const RESTART_JITTER = 0.2;

/** Consecutive failures that open a plugin's circuit breaker. */
export const BREAKER_FAILURE_THRESHOLD = 5;

/** How long an open breaker refuses calls before one trial call is let through. */
export const BREAKER_COOL_DOWN_MS = 60_000;

/** An instance with no running jobs and no open streams is stopped after this long idle. */
export const IDLE_INSTANCE_MS = 10 * 60_000;

/** Default health ping period and deadline, when the manifest sets no `health`. */
export const DEFAULT_HEALTH_INTERVAL_MS = 5_000;
export const DEFAULT_HEALTH_TIMEOUT_MS = 2_000;

/** A log file in `--logging-dir` is rotated (renamed to `.1`) before it grows past this. */
export const LOG_FILE_MAX_BYTES = 64 * 1024 * 1024;

/** Rotated log files kept beside the current one (`.1` … `.3`): at most 256 MiB of logs. */
export const LOG_FILES_KEPT = 3;

/**
 * How many jobs a crash reconciliation fails at once: bounded so a store with a small pool
 * (PostgreSQL's 4 connections) keeps serving the Launcher between batches, large enough
 * that SQLite commits each batch as one group.
 */
export const RECONCILE_FAIL_BATCH = 100;

/**
 * How long a node that lost its cluster lease spends killing the processes of the jobs a
 * survivor failed over from it, before it exits (the local plugin's kill takes well under 1 s).
 */
export const LOST_LEASE_STOP_MS = 5_000;

/** How many of those kills are in flight at once. */
export const LOST_LEASE_STOP_PARALLEL = 8;
