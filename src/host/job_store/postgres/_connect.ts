import postgres, { type Sql } from "postgres";
import { PG_CONNECT_TIMEOUT_S, PG_MAX_CONNECTIONS } from "./constants.ts";
export { redactUrl } from "./redact_url.ts";

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,39}$/;

/** Where a store connects: a URL (else libpq's `PG*` variables) and a schema. */
export interface PgTarget {
  url?: string;
  schema: string;
}

/** The notification channel of a schema: one per schema, as jobs are. */
export function channelOf(schema: string): string {
  return schema === "public" ? "launchbox_jobs" : `launchbox_jobs__${schema}`;
}

/**
 * Opens a connection pool on `target`, its `search_path` set to the schema: `max`
 * connections, the store's pool size by default. Connections open on first use.
 */
export function connect(target: PgTarget, max = PG_MAX_CONNECTIONS): Sql {
  if (!SCHEMA_NAME.test(target.schema)) {
    throw new TypeError(
      `Cannot open job store: schema "${target.schema}" must match ${SCHEMA_NAME.source}`,
    );
  }
  const options = {
    max,
    connect_timeout: PG_CONNECT_TIMEOUT_S,
    onnotice: () => {},
    connection: { search_path: target.schema, application_name: "launchbox" },
  };
  return target.url === undefined ? postgres(options) : postgres(target.url, options);
}

/** Creates the schema when it is not `public` and does not exist yet. */
export async function ensureSchema(sql: Sql, schema: string): Promise<void> {
  if (schema === "public") return;
  // Only create it when missing: a role may use a schema it has no right to create.
  const [found] = await sql`SELECT 1 AS present FROM pg_namespace WHERE nspname = ${schema}`;
  if (found) return;
  // Two nodes creating it at once: the loser gets a duplicate error, and the schema exists.
  await sql.unsafe(`CREATE SCHEMA IF NOT EXISTS ${schema}`).catch((error) => {
    if (!["42P06", "23505"].includes((error as { code?: string }).code ?? "")) throw error;
  });
}

/**
 * The error a store method throws for `error`: the store's own errors (validation, refused
 * changes: `TypeError`, `RangeError`, messages starting "Cannot ") pass unchanged; a
 * database or connection error becomes `Cannot <action> in job store <where>: <message>`.
 */
export function dbError(action: string, where: string, error: unknown): Error {
  if (error instanceof TypeError || error instanceof RangeError) return error;
  if (error instanceof Error && error.message.startsWith("Cannot ")) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new Error(`Cannot ${action} in job store ${where}: ${message}`, { cause: error });
}
