import type { Connection, JsonValue } from "../sdk/airflow/mod.ts";
import type { Body } from "./codec.ts";

/** A `ConnectionResult` body as a `Connection` (its `extra` is JSON text). */
export function connectionFromResult(body: Body): Connection {
  return {
    connId: String(body.conn_id ?? ""),
    connType: String(body.conn_type ?? ""),
    host: optional(body.host),
    schema: optional(body.schema),
    login: optional(body.login),
    password: optional(body.password),
    port: typeof body.port === "number" ? body.port : undefined,
    extra: parseExtra(body.extra),
  };
}

/** `AIRFLOW_CONN_<ID>`: a URI (`postgres://user:pw@host:5432/db?sslmode=require`) or JSON. */
export function connectionFromEnv(connId: string, value: string): Connection {
  const text = value.trim();
  if (text.startsWith("{")) {
    const json = JSON.parse(text) as Record<string, unknown>;
    return connectionFromResult({
      ...json,
      conn_id: connId,
      extra: json.extra === undefined
        ? undefined
        : typeof json.extra === "string"
        ? json.extra
        : JSON.stringify(json.extra),
    });
  }
  const url = new URL(text);
  const extra: Record<string, JsonValue> = {};
  for (const [key, item] of url.searchParams) extra[key] = item;
  return {
    connId,
    connType: url.protocol.replace(/:$/, "").replaceAll("-", "_"),
    host: url.hostname ? decodeURIComponent(url.hostname) : undefined,
    schema: url.pathname.length > 1 ? decodeURIComponent(url.pathname.slice(1)) : undefined,
    login: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    port: url.port ? Number(url.port) : undefined,
    extra,
  };
}

function parseExtra(value: unknown): Record<string, JsonValue> {
  if (typeof value !== "string" || value === "") return {};
  try {
    const parsed = JSON.parse(value);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

function optional(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
