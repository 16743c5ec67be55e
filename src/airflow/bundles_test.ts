import assert from "node:assert/strict";
import type { Manifest } from "../sandbox/manifest.ts";
import { bundlePermissions, instanceKey } from "./bundles.ts";

const task = { dagId: "sales", runId: "manual__2026-06-16T12:00:00+00:00" };
const bundle = (isolation: Manifest["isolation"]) => ({ isolation }) as Manifest;

Deno.test("instanceKey picks the shared directory, the DAG, or the DAG run", () => {
  assert.equal(instanceKey(bundle("none"), task), "shared");
  assert.equal(instanceKey(bundle("namespace"), task), "sales");
  assert.equal(
    instanceKey(bundle("session"), task),
    "sales/manual__2026-06-16T12%3A00%3A00+00%3A00",
  );
});

Deno.test("instanceKey keeps a DAG named shared out of the none level's directory", () => {
  const shared = { dagId: "shared", runId: "r1" };
  assert.equal(instanceKey(bundle("namespace"), shared), "%73hared");
  assert.equal(instanceKey(bundle("session"), shared), "%73hared/r1");
  assert.notEqual(instanceKey(bundle("namespace"), { dagId: "_shared_", runId: "r1" }), "%73hared");
});

Deno.test("bundlePermissions grants read and write of a private instance directory", async () => {
  const scratch = await Deno.makeTempDir();
  try {
    const manifest = {
      name: "b",
      isolation: "session",
      dir: "/opt/bundles/b",
      permissions: { read: [], write: [], run: [], env: [], net: [], sys: [] },
      allowTrampolines: [],
    } as unknown as Manifest;
    const { permissions, instanceDir } = await bundlePermissions(manifest, scratch, task);
    assert.equal(instanceDir, `${scratch}/airflow/sales/manual__2026-06-16T12%3A00%3A00+00%3A00`);
    assert.equal((await Deno.stat(instanceDir)).mode! & 0o777, 0o700);
    assert.ok((permissions.read as string[]).includes(instanceDir));
    assert.deepEqual(permissions.write, [instanceDir]);
    assert.equal(permissions.net, false);
  } finally {
    await Deno.remove(scratch, { recursive: true });
  }
});
