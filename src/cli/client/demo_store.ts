import { redactUrl } from "../../host/job_store/postgres/redact_url.ts";
import { DEMO_POSTGRES_UP_TIMEOUT_MS } from "./constants.ts";
import { lastLines } from "./plugin_host.ts";

const ROOT = new URL("../../../", import.meta.url).pathname;

/**
 * The PostgreSQL store the cluster demo's hosts share: the URL the nodes' config files
 * name (without its password), the environment that carries the password (`PGPASSWORD`,
 * so it is on no command line and in no file), a schema of the demo's own, and how to
 * show the URL.
 */
export interface DemoStore {
  /** For the hosts' `job-store-url=`: the URL with its password removed. */
  readonly url: string;
  /** For the hosts' environment: `PGPASSWORD` when the URL had one, and the schema. */
  readonly env: Record<string, string>;
  readonly schema: string;
  /** The URL as the demo prints it (password replaced). */
  readonly shown: string;
  /** Drops the demo's schema and everything in it. */
  drop(): Promise<void>;
}

/**
 * The demo's store: `url` when given, else the checkout's private PostgreSQL, started
 * with `scripts/postgres-up` (or `postgresUp`, for tests) when it is not running. Throws naming what is missing when
 * neither is available.
 */
export async function demoStore(
  url: string | undefined,
  options: { postgresUp?: string } = {},
): Promise<DemoStore> {
  const full = url ?? await privatePostgresUrl(options.postgresUp ?? `${ROOT}scripts/postgres-up`);
  const parsed = new URL(full);
  const password = decodeURIComponent(parsed.password);
  parsed.password = "";
  const schema = `launchbox_demo_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  return {
    url: parsed.href,
    env: {
      LAUNCHBOX_JOB_STORE_SCHEMA: schema,
      ...(password === "" ? {} : { PGPASSWORD: password }),
    },
    schema,
    shown: redactUrl(full),
    drop: () => dropSchema(full, schema),
  };
}

/** Runs scripts/postgres-up (idempotent: a running server's URL is printed again). */
async function privatePostgresUrl(script: string): Promise<string> {
  const missing = "pass --job-store-url=postgres://USER@HOST/DB (PGPASSWORD for the password)";
  if (Deno.build.standalone) {
    throw new Error(
      `Cannot run the cluster demo: the compiled binary has no scripts/postgres-up; ${missing}`,
    );
  }
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command(script, {
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(DEMO_POSTGRES_UP_TIMEOUT_MS),
    }).output();
  } catch (error) {
    throw new Error(
      `Cannot run the cluster demo: ${script} did not run (${
        (error as Error).message
      }); ${missing}`,
      { cause: error },
    );
  }
  const url = new TextDecoder().decode(output.stdout).trim().split("\n").at(-1) ?? "";
  if (!output.success || !/^postgres(ql)?:\/\//.test(url)) {
    const why = lastLines(new TextDecoder().decode(output.stderr)) ||
      (output.success ? "it printed no postgres:// URL" : `exit code ${output.code}`);
    throw new Error(
      `Cannot run the cluster demo: PostgreSQL did not start (scripts/postgres-up: ${why}); ` +
        missing,
    );
  }
  return url;
}

async function dropSchema(url: string, schema: string): Promise<void> {
  // Loaded only here: the one-node demo and every other client command do without it.
  const { default: postgres } = await import("postgres");
  const sql = postgres(url, { max: 1, connect_timeout: 10, onnotice: () => {} });
  try {
    // The name is the demo's own (letters, digits, underscores), never user input.
    await sql.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await sql.end({ timeout: 2 });
  }
}
