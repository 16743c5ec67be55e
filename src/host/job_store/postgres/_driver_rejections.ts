import postgres from "postgres";

/**
 * Catches the driver's own unhandled rejections: postgres 3.4.9 rejects promises nobody
 * holds when a connection fails while it starts or a LISTEN reconnects (porsager/postgres
 * #1223), and Deno ends the process on an unhandled rejection, so a database outage would
 * kill the host. Only the driver's errors are caught (a `PostgresError`, or its connection
 * errors `CONNECT_TIMEOUT`, `CONNECTION_*`, `ECONN*`); they go to `onError`. Returns the
 * function that stops catching.
 */
export function catchDriverRejections(onError: (error: unknown) => void): () => void {
  const listener = (event: PromiseRejectionEvent) => {
    if (!isDriverError(event.reason)) return;
    event.preventDefault();
    onError(event.reason);
  };
  globalThis.addEventListener("unhandledrejection", listener);
  return () => globalThis.removeEventListener("unhandledrejection", listener);
}

/** Whether `error` comes from the driver's connection handling. */
export function isDriverError(error: unknown): boolean {
  if (error instanceof postgres.PostgresError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" &&
    /^(CONNECT_TIMEOUT|CONNECTION_[A-Z_]+|ECONN[A-Z]+)$/.test(code);
}
