import { SHUTDOWN_GRACE_MS } from "../../host/constants.ts";

/** How long a client command waits for a background host it started to listen (ms). */
export const HOST_START_TIMEOUT_MS = 30_000;

/** How long `client host stop` waits for the host to exit: its drain and a margin (ms). */
export const HOST_STOP_TIMEOUT_MS = SHUTDOWN_GRACE_MS + 5_000;

/** Pause between two looks at a starting or stopping host (ms). */
export const HOST_POLL_MS = 50;

/** The background host's own log rotates at this size; the plugin host logs to `<scratch>/log`. */
export const HOST_LOG_MAX_BYTES = 1024 * 1024;

/** The end of the plugin host's stderr kept to explain an exit (bytes). */
export const HOST_STDERR_TAIL_BYTES = 8 * 1024;

/** The cluster demo's whole session, from the first host's start to the last one's stop (ms). */
export const DEMO_CLUSTER_TIMEOUT_MS = 90_000;

/** How long the cluster demo lets scripts/postgres-up run: its own 3 min limit and a margin (ms). */
export const DEMO_POSTGRES_UP_TIMEOUT_MS = 200_000;

/**
 * How long `client host stop --stop-jobs` waits for the jobs it stopped to end before it
 * stops the host anyway (ms): longer than a plugin's own wait after SIGTERM (the scaffold's
 * 3 s, local's grace), short enough for a terminal.
 */
export const STOP_JOBS_TIMEOUT_MS = 20_000;
