/** Default deadline of one plugin call, when the manifest sets no `limits.request_timeout_s`. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** How often terminal jobs past `--job-expiry-hours` are removed from the store. */
export const EXPIRY_SWEEP_MS = 5 * 60_000;

/** How long shutdown waits for requests in flight and plugin instances to stop. */
export const SHUTDOWN_GRACE_MS = 10_000;

/** The tag prefix that marks an idempotency key on a submitted job. */
export const IDEMPOTENCY_TAG_PREFIX = "idempotency:";
