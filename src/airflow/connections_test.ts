import assert from "node:assert/strict";
import { connectionFromEnv, connectionFromResult } from "./connections.ts";

Deno.test("connectionFromResult parses extra from JSON text and keeps absent fields undefined", () => {
  const conn = connectionFromResult({
    conn_id: "dw",
    conn_type: "postgres",
    host: "db",
    schema: "sales",
    login: null,
    password: "",
    port: 5432,
    extra: '{"sslmode":"require"}',
  });
  assert.deepEqual(conn, {
    connId: "dw",
    connType: "postgres",
    host: "db",
    schema: "sales",
    login: undefined,
    password: "",
    port: 5432,
    extra: { sslmode: "require" },
  });
  assert.deepEqual(connectionFromResult({ conn_id: "x", extra: "not json" }).extra, {});
});

Deno.test("connectionFromEnv reads Airflow's URI form with encoded parts, and its JSON form", () => {
  const uri = connectionFromEnv(
    "dw",
    "google-cloud-platform://us%40r:p%2Fw@h.example:6432/db%201?a=1",
  );
  assert.deepEqual(
    [uri.connType, uri.login, uri.password, uri.host, uri.port, uri.schema, uri.extra],
    ["google_cloud_platform", "us@r", "p/w", "h.example", 6432, "db 1", { a: "1" }],
  );
  const json = connectionFromEnv("dw", '{"conn_type":"http","host":"api","extra":{"t":1}}');
  assert.deepEqual([json.connId, json.connType, json.host, json.extra], ["dw", "http", "api", {
    t: 1,
  }]);
});
