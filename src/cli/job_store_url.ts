import { redactUrl } from "../host/job_store/postgres/redact_url.ts";
import { UsageError } from "./usage_error.ts";

const SCHEMES = ["postgres:", "postgresql:"];

/**
 * Checks the `job-store-url` option: empty means the embedded SQLite file under the scratch
 * path; otherwise a `postgres://` or `postgresql://` URL, whose missing parts (even all of
 * them: `postgres://`) the driver takes from libpq's `PG*` environment variables. The
 * error quotes the URL without its password and names where it was set (`origin`).
 */
export function parseJobStoreUrl(text: string, origin: string): string | undefined {
  const value = text.trim();
  if (value === "") return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(
      `Option ${origin} must be a postgres:// URL, got ${describe(value)} (it does not parse)`,
    );
  }
  if (!SCHEMES.includes(url.protocol)) {
    throw new UsageError(
      `Option ${origin} must be a postgres:// or postgresql:// URL, got scheme "${url.protocol}"`,
    );
  }
  if (url.port !== "" && !(Number(url.port) >= 1 && Number(url.port) <= 65535)) {
    throw new UsageError(`Option ${origin} names port ${url.port}, not in 1-65535`);
  }
  return value;
}

function describe(value: string): string {
  return value.includes("@") ? redactUrl(value) : `"${value}"`;
}
