import assert from "node:assert/strict";
import { decideMode } from "./mode.ts";
import { UsageError } from "./usage_error.ts";

Deno.test("decideMode picks the Launcher plugin mode for Launcher options", () => {
  const mode = decideMode(["--heartbeat-interval-seconds=0", "--enable-debug-logging=1"]);
  assert.equal(mode.kind, "launcher");
});

Deno.test("decideMode picks coordinator mode when --comm and --logs are both given", () => {
  assert.equal(decideMode(["x", "--comm=127.0.0.1:1", "--logs", "127.0.0.1:2"]).kind, "airflow");
});

Deno.test("decideMode refuses only one of --comm and --logs", () => {
  assert.throws(
    () => decideMode(["--logs=127.0.0.1:2"]),
    (error: unknown) =>
      error instanceof UsageError && /needs both --comm and --logs/.test(error.message),
  );
});

Deno.test("decideMode routes first words and metadata flags", () => {
  assert.equal(decideMode(["check"]).kind, "check");
  assert.equal(decideMode(["new", "myplugin"]).kind, "new");
  assert.equal(decideMode(["airflow-test", "dag", "task"]).kind, "airflow-test");
  assert.equal(decideMode(["client", "demo"]).kind, "client");
  assert.equal(decideMode(["runner"]).kind, "runner");
  assert.equal(decideMode(["--version"]).kind, "version");
  assert.equal(decideMode(["help"]).kind, "help");
  assert.equal(decideMode(["--bundle-metadata"]).kind, "airflow-metadata");
  assert.equal(decideMode(["--airflow-metadata", "--format", "json"]).kind, "airflow-metadata");
});
