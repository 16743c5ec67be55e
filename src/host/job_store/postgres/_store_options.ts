import { type PgTarget, redactUrl } from "./_connect.ts";

/** Options for `PostgresJobStore.open`. */
export interface PostgresJobStoreOptions {
  /** `postgres://user:password@host:port/db`; absent: libpq's `PG*` environment variables. */
  url?: string;
  /** The schema holding the tables (created when missing); `"public"` by default. */
  schema?: string;
  /** This node's name: recorded as the owner of the jobs it inserts. */
  nodeId: string;
  /** Hours after its last update that `expire()` removes a job in a terminal status. */
  expiryHours: number;
  /** Stamps `lastUpdateTime` and drives expiry; defaults to the system clock. */
  clock?: { now(): Date };
  /** Told about errors thrown by subscribers and of the change feed. */
  onListenerError?: (error: unknown) => void;
}

/**
 * Checks `options` and returns where the store connects: the URL without its password (to
 * name the store in messages), the schema, and the connection target.
 */
export function checkedTarget(
  options: PostgresJobStoreOptions,
): { where: string; schema: string; target: PgTarget } {
  const where = redactUrl(options.url);
  const hours = options.expiryHours;
  if (typeof hours !== "number" || !(hours >= 0) || hours === Infinity) {
    throw new RangeError(`Cannot open job store ${where}: expiryHours ${hours} is not >= 0`);
  }
  if (typeof options.nodeId !== "string" || options.nodeId === "") {
    throw new TypeError(`Cannot open job store ${where}: nodeId must be a non-empty string`);
  }
  const schema = options.schema ?? "public";
  const target = { ...(options.url === undefined ? {} : { url: options.url }), schema };
  return { where, schema, target };
}
