import assert from "node:assert/strict";
import { parseManifest } from "./manifest.ts";
import { checkPermissionEntry } from "./permission_rules.ts";

const SECRETS = [
  "PGPASSWORD",
  "PGPASSFILE",
  "PGSERVICEFILE",
  "PGHOST",
  "LAUNCHBOX_JOB_STORE_URL",
  "LAUNCHBOX_SECRET",
  "DENO_AUTH_TOKENS",
  "DENO_DIR",
  "DENO_CERT",
];

for (const name of SECRETS) {
  Deno.test(`checkPermissionEntry refuses env "${name}", which holds the host's secrets or settings`, () => {
    assert.match(checkPermissionEntry("env", name) ?? "", /^names a variable of the host's own/);
  });
}

Deno.test("checkPermissionEntry still allows env names that only look alike", () => {
  for (const name of ["PAGER", "SLURM_CONF", "MY_PGPASSWORD", "DENOISE", "LAUNCHBOXES"]) {
    assert.equal(checkPermissionEntry("env", name), undefined, name);
  }
});

Deno.test("parseManifest names the env entry that would hand a plugin the host's password", async () => {
  const text = [
    "name: p",
    'version: "1"',
    "entry: mod.ts",
    "sdk: 1",
    "isolation: session",
    "permissions:",
    '  env: ["HOME", "PGPASSWORD", "PG*"]',
    "",
  ].join("\n");
  await assert.rejects(
    parseManifest(text, "/opt/plugins/p/plugin.yaml"),
    /field "permissions\.env\[1\]" "PGPASSWORD" names a variable of the host's own \(PG\*: libpq's connection settings and password\)/,
  );
  assert.equal(checkPermissionEntry("env", "PG*"), "is not an environment variable name");
  assert.equal(checkPermissionEntry("env", "*"), "is a wildcard; list what is needed");
});
