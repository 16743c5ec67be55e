import postgres from "postgres";

const ROOT = new URL("../../", import.meta.url);

/**
 * The private PostgreSQL of `scripts/postgres-up`: `{ url }` when one answers, else
 * `{ skip }` with the reason for the tests to be skipped with. `LAUNCHBOX_TEST_PG_URL`
 * overrides the URL the script recorded in `.tools/postgres/url`.
 */
export async function privatePostgres(): Promise<{ url: string } | { skip: string }> {
  let url = Deno.env.get("LAUNCHBOX_TEST_PG_URL");
  if (url === undefined) {
    try {
      url = (await Deno.readTextFile(new URL(".tools/postgres/url", ROOT))).trim();
    } catch {
      return { skip: "no private PostgreSQL: scripts/postgres-up has not run (or failed)" };
    }
  }
  const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await sql`SELECT 1`;
    return { url };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { skip: `the private PostgreSQL does not answer (${reason}); run scripts/postgres-up` };
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** A schema name no other test uses: tests share the database, each in its own schema. */
export function freshSchema(): string {
  return `lbtest_${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`;
}

/** Drops a test schema and everything in it. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await sql.end({ timeout: 1 });
  }
}
