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
 * Discovery walks every plugin folder for links that leave it; deeper or larger trees are
 * refused rather than walked in part (a plugin is source files, not a data set).
 */
export const PLUGIN_TREE_MAX_DEPTH = 32;
export const PLUGIN_TREE_MAX_ENTRIES = 20_000;

/**
 * Log lines one runner may send the host: a burst of this many, refilled at the rate below.
 * Beyond it lines are dropped and counted, so a plugin cannot fill the host's disk or keep
 * the host busy writing its logs while other users wait.
 */
export const PLUGIN_LOG_BURST = 1_000;
export const PLUGIN_LOG_LINES_PER_SECOND = 200;
