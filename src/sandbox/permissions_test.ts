import assert from "node:assert/strict";
import { parseManifest } from "./manifest.ts";
import { checkPermissionEntry } from "./permission_rules.ts";
import { expandPermissions } from "./permissions.ts";

const manifest = await parseManifest(
  `name: p
version: "1"
entry: mod.ts
sdk: 1
permissions:
  read: ["\${plugin_dir}/data", "\${user_home}/.config", "/usr/share"]
  write: ["\${instance_dir}/out", "\${user_home}"]
  env: ["HOME"]
`,
  "/opt/plugins/p/plugin.yaml",
);

const places = {
  pluginDir: "/opt/plugins/p",
  instanceDir: "/var/lib/lb/instances/ns/staff/alice",
  userHome: "/home/alice",
  scratch: "/var/lib/lb/instances",
};

Deno.test("expandPermissions expands placeholders and always grants the plugin and instance dirs", () => {
  assert.deepEqual(expandPermissions(manifest, places), {
    read: [
      "/opt/plugins/p",
      places.instanceDir,
      "/opt/plugins/p/data",
      "/home/alice/.config",
      "/usr/share",
    ],
    write: [places.instanceDir, `${places.instanceDir}/out`, "/home/alice"],
    run: false,
    env: ["HOME"],
    net: false,
    sys: false,
    ffi: false,
    import: false,
  });
});

Deno.test("expandPermissions drops ${user_home} entries when the instance has no single user", () => {
  const expanded = expandPermissions(manifest, { ...places, userHome: undefined });
  assert.deepEqual(expanded.write, [places.instanceDir, `${places.instanceDir}/out`]);
  assert.ok(!(expanded.read as string[]).some((path) => path.includes(".config")));
});

Deno.test("expandPermissions refuses a read path that contains the scratch root", async () => {
  const wide = await parseManifest(
    'name: w\nversion: "1"\nentry: mod.ts\nsdk: 1\npermissions:\n  read: ["/var"]\n',
    "/opt/plugins/w/plugin.yaml",
  );
  assert.throws(
    () => expandPermissions(wide, places),
    /Cannot grant plugin "w" read of "\/var": it contains the scratch path/,
  );
});

Deno.test("expandPermissions refuses to let a plugin run the host's own binary", () => {
  const runsHost = {
    ...manifest,
    permissions: { ...manifest.permissions, run: [Deno.execPath()] },
  };
  assert.throws(
    () => expandPermissions(runsHost, places),
    new RegExp(
      `^RangeError: Cannot grant plugin "p" run of "${Deno.execPath()}": it is the host's own binary`,
    ),
  );
});

const ENTRIES: [Parameters<typeof checkPermissionEntry>[0], string, boolean][] = [
  ["read", "${plugin_dir}", true],
  ["read", "/etc/ssl/certs", true],
  ["read", "/", false],
  ["read", "${scratch}/x", false],
  ["read", "${home}", false],
  ["read", "/etc", false],
  ["read", "/etc/shadow", false],
  ["read", "/etc/ssh/ssh_host_rsa_key", false],
  ["read", "/root/.ssh", false],
  ["read", "/proc/1/environ", false],
  ["read", "/etc/hosts", true],
  ["read", "/etc/shadowed-but-fine", true],
  ["write", "${instance_dir}/tmp", true],
  ["write", "${plugin_dir}", false],
  ["write", "/tmp", false],
  ["run", "/usr/bin/sbatch", true],
  ["run", "${plugin_dir}/bin/helper", true],
  ["run", "${user_home}/bin/x", false],
  ["run", "true", false],
  ["run", "/usr/local/bin/deno", false],
  ["run", "/opt/launchbox/launchbox", false],
  ["env", "SLURM_CONF", true],
  ["env", "A-B", false],
  ["net", "127.0.0.1:6817", true],
  ["net", "[::1]:80", true],
  ["net", "slurm.example.org", true],
  ["net", "*", false],
  ["net", "http://x", false],
];

for (const [kind, entry, allowed] of ENTRIES) {
  Deno.test(`checkPermissionEntry ${allowed ? "allows" : "refuses"} ${kind} "${entry}"`, () => {
    assert.equal(
      checkPermissionEntry(kind, entry) === undefined,
      allowed,
      checkPermissionEntry(kind, entry),
    );
  });
}
