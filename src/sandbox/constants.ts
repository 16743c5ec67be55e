/** How long a runner may take from spawn to "ready" (plugin loaded) before it is killed. */
export const RUNNER_START_TIMEOUT_MS = 15_000;

/**
 * Runners a host starts at once, per CPU; more wait their turn. A start is about 100 ms of
 * CPU: 200 users arriving together at a `session` plugin would otherwise start 200 runners
 * side by side on 2 cores, and each would take longer than RUNNER_START_TIMEOUT_MS.
 */
export const RUNNER_STARTS_PER_CPU = 2;

/** How long a stopping runner gets to close its plugin before its process group is killed. */
export const RUNNER_STOP_GRACE_MS = 10_000;

/**
 * RLIMIT_DATA below this stops a runner from starting: V8 reserves its code range and a
 * Worker's heap up front (1 GiB failed, 1280 MiB started, on Linux 6 with Deno 2.9.6).
 * Smaller manifest limits are raised to it.
 */
export const RUNNER_MIN_MEMORY_MB = 1536;

/**
 * Reachability verdicts a runner factory remembers (one per user and set of needed paths);
 * beyond this the oldest is dropped and checked again when next needed.
 */
export const REACHABILITY_CACHE_MAX_ENTRIES = 1_000;

/** Where util-linux keeps the helpers that set the parent-death signal, ids and limits. */
export const SETPRIV = "/usr/bin/setpriv";
export const PRLIMIT = "/usr/bin/prlimit";
/**
 * util-linux's `setsid`: a runner is started through it, not with `detached: true`, which
 * makes Deno fork the whole host to call setsid(2) in the child (27 ms of the host's main
 * thread per runner in the 50-users bench) instead of spawning it with posix_spawn.
 */
export const SETSID = "/usr/bin/setsid";

/**
 * Discovery walks every plugin folder for links that leave it; deeper or larger trees are
 * refused rather than walked in part (a plugin is source files, not a data set).
 */
export const PLUGIN_TREE_MAX_DEPTH = 32;
export const PLUGIN_TREE_MAX_ENTRIES = 20_000;

/**
 * Longest encoded user, tenant, DAG or run name kept whole in an instance key and
 * directory name; longer ones are cut and hashed. Well under NAME_MAX (255 bytes), with
 * room for the `%%` and the 64 hex digits of the hash after a 96-byte prefix.
 */
export const MAX_KEY_SEGMENT_BYTES = 200;

/**
 * A plugin log line (runner stderr, `ctx.log`, `console`) longer than this many bytes is
 * cut, with `… [cut N bytes]` after it: the host holds at most this much of a line that
 * has not ended, whatever a plugin writes without a newline.
 */
export const PLUGIN_LOG_MAX_LINE_BYTES = 16 * 1024;

/**
 * Each instance may log this many lines per second on average, in bursts of up to
 * {@linkcode PLUGIN_LOG_BURST_LINES}; lines beyond are dropped, counted in `/metrics`
 * (`launchbox_plugin_log_dropped_lines_total`) and reported in one line once logging
 * is allowed again.
 */
export const PLUGIN_LOG_LINES_PER_SECOND = 200;
export const PLUGIN_LOG_BURST_LINES = 2_000;

/**
 * Stream items (`jobOutput`, `jobStatus`…) a Worker may send ahead of what the host's
 * reader has taken; the plugin's generator then waits for the host's `more`. With items
 * of at most one frame (5 MiB) that is at most 40 MiB per stream, under the hard bound.
 */
export const RUNNER_STREAM_WINDOW_ITEMS = 8;

/**
 * Bytes of stream items the host keeps for one stream its reader has not taken yet. Only
 * a runner that ignores the window gets here; its stream is failed.
 */
export const RUNNER_STREAM_MAX_QUEUED_BYTES = 64 * 1024 * 1024;

/** `ctx.jobs` requests of one instance the host serves at once; more wait their turn. */
export const RUNNER_MAX_JOBS_REQUESTS = 64;

/**
 * `ctx.jobs` requests of one instance that may wait for one of those places (a plugin
 * updating every job of a large queue at once); beyond them a request is refused, so a
 * plugin that floods the host cannot grow its memory without bound.
 */
export const RUNNER_MAX_WAITING_JOBS_REQUESTS = 4096;

/**
 * Characters of a plugin's crash report (error name, message, where) the host keeps: the
 * report becomes the status message of the instance's unfinished jobs, which the Launcher
 * shows to users, so it stays a sentence, not a dump.
 */
export const CRASH_REPORT_MAX_CHARS = 1_000;
