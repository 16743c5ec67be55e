import assert from "node:assert/strict";
import { parseManifest } from "./manifest.ts";
import { checkPermissionEntry } from "./permission_rules.ts";
import { expandPermissions } from "./permissions.ts";

const manifest = await parseManifest(
  `name: p
version: "1"
entry: mod.ts
sdk: 1
isolation: session
run_as: session-user
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

Deno.test("expandPermissions grants the listed sys names at every isolation level", async () => {
  for (const isolation of ["none", "namespace", "session"]) {
    const text = `name: s\nversion: "1"\nentry: mod.ts\nsdk: 1\nisolation: ${isolation}\n` +
      'permissions:\n  sys: ["hostname", "loadavg", "hostname"]\n';
    const sys = await parseManifest(text, "/opt/plugins/s/plugin.yaml");
    const expanded = expandPermissions(sys, { ...places, pluginDir: "/opt/plugins/s" });
    assert.deepEqual(expanded.sys, ["hostname", "loadavg"], isolation);
    assert.equal(expanded.ffi, false);
    assert.equal(expanded.import, false);
  }
  assert.equal(expandPermissions(manifest, places).sys, false, "no sys list, no sys access");
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
      `^RangeError: Cannot grant plugin "p" run of "${Deno.execPath()}": is Launchbox or Deno itself`,
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
  ["run", "/usr/local/bin/deno/.", false],
  ["run", "/usr/local/bin//deno/", false],
  ["run", "/proc/self/exe", false],
  ["read", "/.", false],
  ["read", "//", false],
  ["read", "/etc/.", false],
  ["read", "/etc/./shadow", false],
  ["read", "//etc/shadow", false],
  ["read", "/etc//ssh/", false],
  ["read", "/proc/./self/environ", false],
  ["read", "${instance_dir}_x", false],
  ["read", "${plugin_dir}x", false],
  ["read", "${plugin_dir}/${instance_dir}", false],
  ["read", "/opt/${plugin_dir}", false],
  ["read", "${instance_dir}/./x//", true],
  ["write", "${user_home}_other", false],
  ["write", "${instance_dir}.bak", false],
  ["run", "${plugin_dir}_bin/tool", false],
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

Deno.test("parseManifest keeps path entries normalised, so expansion grants what the rules saw", async () => {
  const parsed = await parseManifest(
    `name: p\nversion: "1"\nentry: mod.ts\nsdk: 1\npermissions:\n  read: ["\${plugin_dir}//data/./", "/usr//share/"]\n`,
    "/opt/plugins/p/plugin.yaml",
  );
  assert.deepEqual(parsed.permissions.read, ["${plugin_dir}/data", "/usr/share"]);
});

Deno.test("expandPermissions grants the canonical path of a link and runs the rules on it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.symlink("/etc", `${dir}/etc_link`);
    await Deno.symlink("/", `${dir}/rootfs`);
    await Deno.mkdir(`${dir}/data`);
    await Deno.symlink(`${dir}/data`, `${dir}/data_link`);
    const withRead = (read: string[]) => ({
      ...manifest,
      permissions: { ...manifest.permissions, read },
    });
    const at = { ...places, pluginDir: dir };
    const granted = expandPermissions(withRead(["${plugin_dir}/data_link"]), at);
    assert.ok((granted.read as string[]).includes(await Deno.realPath(`${dir}/data`)));
    assert.ok(!(granted.read as string[]).includes(`${dir}/data_link`));
    assert.throws(
      () => expandPermissions(withRead(["${plugin_dir}/etc_link/shadow"]), at),
      /^RangeError: Cannot grant plugin "p" read of "\/etc\/shadow": reaches the host's secrets/,
    );
    assert.throws(
      () => expandPermissions(withRead(["${plugin_dir}/rootfs"]), at),
      /^RangeError: Cannot grant plugin "p" read of "\/": reads the whole file system/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("expandPermissions refuses a write whose canonical path leaves the instance directory", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const instanceDir = `${dir}/instances/shared`;
    await Deno.mkdir(instanceDir, { recursive: true });
    await Deno.symlink("/tmp", `${instanceDir}/out`);
    assert.throws(
      () =>
        expandPermissions(manifest, {
          ...places,
          instanceDir,
          scratch: `${dir}/instances`,
          userHome: undefined,
        }),
      /^RangeError: Cannot grant plugin "p" write of "\/tmp": it resolves outside the instance directory/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("expandPermissions refuses reads of the job store or a sibling instance inside scratch", () => {
  const reads = (read: string[]) => ({
    ...manifest,
    permissions: { ...manifest.permissions, read },
  });
  assert.throws(
    () => expandPermissions(reads(["/var/lib/lb/instances/ns/staff/bob"]), places),
    /is inside the scratch path \/var\/lib\/lb\/instances, outside the instance directory/,
  );
});

Deno.test("expandPermissions refuses a run grant that is a link to the host's binary", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.symlink(Deno.execPath(), `${dir}/helper`);
    const runs = { ...manifest, permissions: { ...manifest.permissions, run: [`${dir}/helper`] } };
    assert.throws(
      () => expandPermissions(runs, places),
      new RegExp(
        `run of "${dir}/helper": is Launchbox or Deno itself \\(${await Deno.realPath(
          Deno.execPath(),
        )}\\)`,
      ),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("expandPermissions refuses at run_as host a read grant another user could plant links in", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  try {
    await Deno.mkdir(`${dir}/shared`);
    await Deno.chmod(`${dir}/shared`, 0o777);
    const reads = (runAs: "host" | "session-user") => ({
      ...manifest,
      runAs,
      permissions: { ...manifest.permissions, read: [`${dir}/shared`] },
    });
    assert.throws(
      () => expandPermissions(reads("host"), places),
      /read of ".*\/shared": ".*\/shared" is writable by group or others \(mode 777\), who could swap it after the check; at run_as: host/,
    );
    const asUser = expandPermissions(reads("session-user"), places);
    assert.ok(
      (asUser.read as string[]).includes(`${dir}/shared`),
      "the job user's own rights hold",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("expandPermissions grants a plugin folder inside /root, never /root itself nor a secret", () => {
  const at = {
    ...places,
    pluginDir: "/root/launchbox/plugins/p",
    importDirs: ["/root/launchbox/src/sdk"],
  };
  const granted = expandPermissions(manifest, at).read as string[];
  assert.ok(granted.includes("/root/launchbox/plugins/p"));
  assert.ok(granted.includes("/root/launchbox/plugins/p/data"));
  assert.ok(granted.includes("/root/launchbox/src/sdk"));
  const reading = (read: string[]) => ({
    ...manifest,
    permissions: { ...manifest.permissions, read },
  });
  assert.throws(
    () => expandPermissions(reading(["/root/.ssh"]), at),
    /read of "\/root\/\.ssh": reaches the host's secrets \("\/root"\)/,
  );
  assert.throws(
    () => expandPermissions(manifest, { ...places, pluginDir: "/root" }),
    /read of "\/root": reaches the host's secrets \("\/root"\)/,
  );
});
