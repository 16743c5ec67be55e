import assert from "node:assert/strict";
import { runLaunchbox } from "../_support/host_process.ts";
import { parse } from "yaml";

Deno.test("Only one of --comm and --logs is a usage error that says both are required", async () => {
  for (const args of [["--comm=127.0.0.1:1"], ["bundle.mjs", "--logs", "127.0.0.1:2"]]) {
    const { code, stdout, stderr } = await runLaunchbox(args);
    assert.equal(code, 2);
    assert.equal(stdout, "");
    assert.match(stderr, /needs both --comm and --logs/);
  }
});

Deno.test("--airflow-metadata prints the bundle metadata as YAML, --format json as JSON", async () => {
  const yaml = await runLaunchbox(["--airflow-metadata"]);
  assert.equal(yaml.code, 0);
  const metadata = parse(yaml.stdout);
  assert.equal(metadata.airflow_bundle_metadata_version, "1.0");
  assert.deepEqual(metadata.sdk.language, "typescript");
  assert.equal(metadata.sdk.supervisor_schema_version, "2026-06-16");
  assert.deepEqual(metadata.dags.sales_pipeline.tasks, [
    "extract",
    "transform",
    "load",
    "weekend_only",
  ]);
  assert.match(
    yaml.stdout,
    /supervisor_schema_version: "2026-06-16"/,
    "quoted so YAML 1.1 readers keep a string",
  );
  const json = JSON.parse((await runLaunchbox(["--airflow-metadata", "--format", "json"])).stdout);
  assert.deepEqual(json.dags.maintenance.tasks, ["noop", "fail"]);
  const older = JSON.parse((await runLaunchbox(["--bundle-metadata"])).stdout);
  assert.deepEqual(older.dags, json.dags);
});

Deno.test("--format other than yaml or json is refused", async () => {
  const { code, stderr } = await runLaunchbox(["--airflow-metadata", "--format=toml"]);
  assert.equal(code, 2);
  assert.match(stderr, /--format must be yaml or json, got "toml"/);
});

Deno.test("Coordinator mode names an address it cannot reach", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const { code, stderr } = await runLaunchbox([`--comm=127.0.0.1:${port}`, "--logs=nonsense"]);
  assert.equal(code, 1);
  assert.match(stderr, /Cannot use --logs=nonsense: expected HOST:PORT/);
});
