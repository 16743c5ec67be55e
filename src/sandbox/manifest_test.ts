import assert from "node:assert/strict";
import { parseManifest } from "./manifest.ts";
import { PluginLoadError } from "./plugin_load_error.ts";

const FILE = "/plugins/demo/plugin.yaml";
const GOOD = `name: demo
version: "1.2.0"
kind: launcher
entry: mod.ts
sdk: 1
isolation: session
run_as: session-user
permissions:
  read: ["\${plugin_dir}", "/usr/share/zoneinfo"]
  write: ["\${instance_dir}"]
  run: ["/bin/sh"]
  env: ["PATH"]
  net: ["127.0.0.1:8080"]
allow_trampolines: ["/bin/sh"]
limits: { memory_mb: 512, request_timeout_s: 30 }
health: { interval_s: 5, timeout_s: 2 }
`;

Deno.test("parseManifest reads every field with absolute paths", async () => {
  const manifest = await parseManifest(GOOD, FILE);
  assert.equal(manifest.name, "demo");
  assert.equal(manifest.version, "1.2.0");
  assert.equal(manifest.isolation, "session");
  assert.equal(manifest.runAs, "session-user");
  assert.deepEqual(manifest.permissions.run, ["/bin/sh"]);
  assert.deepEqual(manifest.allowTrampolines, ["/bin/sh"]);
  assert.deepEqual(manifest.limits, { memoryMb: 512, requestTimeoutS: 30 });
  assert.deepEqual(manifest.health, { intervalS: 5, timeoutS: 2 });
  assert.equal(manifest.dir, "/plugins/demo");
  assert.equal(manifest.entryPath, "/plugins/demo/mod.ts");
});

Deno.test("parseManifest reads permissions.sys as Deno's sys names, empty when left out", async () => {
  const text = GOOD.replace('env: ["PATH"]', 'env: ["PATH"]\n  sys: ["hostname", "osRelease"]');
  assert.deepEqual((await parseManifest(text, FILE)).permissions.sys, ["hostname", "osRelease"]);
  assert.deepEqual((await parseManifest(GOOD, FILE)).permissions.sys, []);
});

Deno.test("parseManifest defaults isolation to session and run_as to host", async () => {
  const manifest = await parseManifest('name: x\nversion: "1"\nentry: mod.ts\nsdk: 1\n', FILE);
  assert.equal(manifest.isolation, "session");
  assert.equal(manifest.runAs, "host");
  assert.equal(manifest.kind, "launcher");
  assert.deepEqual(manifest.permissions.net, []);
});

const BROKEN: [string, string, RegExp, number | undefined][] = [
  [
    "trampoline without opt-in",
    GOOD.replace('allow_trampolines: ["/bin/sh"]\n', ""),
    /field "permissions\.run\[0\]" "\/bin\/sh" is a program that runs other programs by name \(Deno included\); list it under allow_trampolines/,
    11,
  ],
  [
    "${user_home} at run_as host",
    GOOD.replace("run_as: session-user", "run_as: host").replace(
      'write: ["\${instance_dir}"]',
      'write: ["\${instance_dir}", "\${user_home}/out"]',
    ),
    /field "permissions\.write" grants \$\{user_home\} at run_as: host; .* use run_as: session-user/,
    10,
  ],
  [
    "opt-in for a program not granted",
    GOOD.replace('allow_trampolines: ["/bin/sh"]', 'allow_trampolines: ["/usr/bin/env"]'),
    /field "allow_trampolines\[0\]" "\/usr\/bin\/env" is not in permissions\.run/,
    14,
  ],
  [
    "env as a program",
    GOOD.replace('run: ["/bin/sh"]', 'run: ["/bin/sh", "/usr/bin/env"]'),
    /"permissions\.run\[1\]" "\/usr\/bin\/env" is a program that runs other programs by name/,
    11,
  ],
  ["unknown key", GOOD.replace("kind: launcher", "knid: launcher"), /unknown field "knid"/, 3],
  ["wrong type", GOOD.replace("sdk: 1", "sdk: one"), /field "sdk" must be a whole number/, 5],
  [
    "bad isolation",
    GOOD.replace("isolation: session", "isolation: tenant"),
    /field "isolation" must be one of none, namespace, session, got "tenant"/,
    6,
  ],
  [
    "unquoted version",
    GOOD.replace('version: "1.2.0"', "version: 1.10"),
    /field "version" must be a quoted string: YAML reads 1\.10 as the number 1\.1; write version: "1\.10"$/,
    2,
  ],
  [
    "scratch read",
    GOOD.replace('"/usr/share/zoneinfo"', '"${scratch}"'),
    /permissions\.read.*reaches every instance/,
    9,
  ],
  [
    "write outside",
    GOOD.replace('write: ["${instance_dir}"]', 'write: ["/etc"]'),
    /writes outside the instance directory/,
    10,
  ],
  [
    "dotdot",
    GOOD.replace('"/usr/share/zoneinfo"', '"${plugin_dir}/../x"'),
    /must not contain ".."/,
    9,
  ],
  ["relative", GOOD.replace('run: ["/bin/sh"]', 'run: ["sh"]'), /must be an absolute path/, 11],
  ["wildcard env", GOOD.replace('env: ["PATH"]', 'env: ["*"]'), /is a wildcard/, 12],
  [
    "wildcard net",
    GOOD.replace('net: ["127.0.0.1:8080"]', 'net: ["0.0.0.0"]'),
    /names every address/,
    13,
  ],
  [
    "unknown permission",
    GOOD.replace("  net:", "  ffi: []\n  net:"),
    /unknown field "permissions\.ffi"/,
    13,
  ],
  [
    "sdk mismatch",
    GOOD.replace("sdk: 1", "sdk: 2"),
    /written for SDK 2.*rebuild the plugin against SDK 1/,
    5,
  ],
  [
    "escaping entry",
    GOOD.replace("entry: mod.ts", "entry: ../mod.ts"),
    /field "entry" must be a path inside the plugin folder/,
    4,
  ],
  ["bad YAML", "name: [unclosed\n", /invalid YAML/, 2],
  [
    "session-user without session",
    GOOD.replace("isolation: session", "isolation: namespace"),
    /needs isolation: session/,
    7,
  ],
  [
    "health order",
    GOOD.replace("timeout_s: 2", "timeout_s: 9"),
    /"health\.timeout_s" must be shorter than interval_s/,
    16,
  ],
  [
    "an unknown sys name",
    GOOD.replace('env: ["PATH"]', 'env: ["PATH"]\n  sys: ["hostname", "hostName"]'),
    /field "permissions\.sys\[1\]" "hostName" is not a sys name a plugin may have; use one of hostname, osRelease, /,
    13,
  ],
  [
    "a sys name that changes the runner",
    GOOD.replace('env: ["PATH"]', 'env: ["PATH"]\n  sys: ["setPriority"]'),
    /field "permissions\.sys\[0\]" "setPriority" may not be granted: it changes the priority of processes/,
    13,
  ],
];

for (const [what, text, message, line] of BROKEN) {
  Deno.test(`parseManifest refuses a manifest with ${what}, naming file and line`, async () => {
    await assert.rejects(parseManifest(text, FILE), (error: unknown) => {
      assert.ok(error instanceof PluginLoadError, String(error));
      assert.match(error.message, message);
      assert.equal(error.file, FILE);
      if (line !== undefined) assert.equal(error.line, line, error.message);
      assert.ok(error.message.startsWith(`${FILE}:`), error.message);
      if (what !== "bad YAML") assert.ok(error.field, `no field named: ${error.message}`);
      return true;
    });
  });
}

Deno.test("parseManifest names a bad permission entry by one index and its own line", async () => {
  const text = GOOD.replace(
    'read: ["${plugin_dir}", "/usr/share/zoneinfo"]',
    'read:\n    - "${plugin_dir}"\n    - "/usr/share/zoneinfo"\n    - "relative/path"',
  );
  const error = await parseManifest(text, FILE).then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof PluginLoadError);
  assert.equal(error.field, "permissions.read[2]");
  assert.equal(error.line, 12);
  assert.match(
    error.message,
    /^\/plugins\/demo\/plugin\.yaml:12: field "permissions\.read\[2\]" "relative\/path" /,
  );
  assert.doesNotMatch(error.message, /entry \d/);
});

Deno.test("parseManifest reports every bad field of a manifest in one pass, each with its line", async () => {
  const text = GOOD.replace("isolation: session", "isolation: total")
    .replace("run_as: session-user", "run_as: nobody")
    .replace('run: ["/bin/sh"]', 'run: ["sh"]');
  const error = await parseManifest(text, FILE).then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof PluginLoadError);
  const all = [error, ...error.related];
  assert.deepEqual(all.map((e) => [e.field, e.line]), [
    ["isolation", 6],
    ["run_as", 7],
    ["permissions.run[0]", 11],
    ["allow_trampolines[0]", 14],
  ]);
});
