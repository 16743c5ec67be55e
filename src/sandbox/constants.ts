/** How long a runner may take from spawn to "ready" (plugin loaded) before it is killed. */
export const RUNNER_START_TIMEOUT_MS = 15_000;

/** How long a stopping runner gets to close its plugin before its process group is killed. */
export const RUNNER_STOP_GRACE_MS = 10_000;

/**
 * RLIMIT_DATA below this stops a runner from starting: V8 reserves its code range and a
 * Worker's heap up front (1 GiB failed, 1280 MiB started, on Linux 6 with Deno 2.9.6).
 * Smaller manifest limits are raised to it.
 */
export const RUNNER_MIN_MEMORY_MB = 1536;

/** Where util-linux keeps the helpers that set the parent-death signal, ids and limits. */
export const SETPRIV = "/usr/bin/setpriv";
export const PRLIMIT = "/usr/bin/prlimit";

/**
 * Longest encoded user, tenant, DAG or run name kept whole in an instance key and
 * directory name; longer ones are cut and hashed. Well under NAME_MAX (255 bytes), with
 * room for the `%%` and the 64 hex digits of the hash after a 96-byte prefix.
 */
export const MAX_KEY_SEGMENT_BYTES = 200;
