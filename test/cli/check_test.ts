import assert from "node:assert/strict";
import { runLaunchbox } from "../_support/host_process.ts";

const PLUGINS = new URL("../../plugins", import.meta.url).pathname;

const check = (args: string[]) => runLaunchbox(["check", ...args]);

Deno.test("check lists the bundled plugins with their effective permissions and exits 0", async () => {
  const { code, stdout } = await check([`--plugins-dir=${PLUGINS}`]);
  assert.equal(code, 0);
  assert.match(stdout, /^NAME\s+VERSION\s+KIND\s+ISOLATION\s+RUN AS$/m);
  assert.match(stdout, /^local\s+1\.0\.0\s+launcher\s+session\s+session-user$/m);
  assert.match(stdout, /^ {2}run {3}\/bin\/sh(, \/\S+)?$/m, "as written and as its canonical path");
  assert.match(stdout, /^ {2}write <scratch>\/instances\/ns\/staff\/alice, \/home\/alice$/m);
});

Deno.test("check reports every invalid manifest with file and line, and exits 1", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/good`);
    await Deno.writeTextFile(
      `${dir}/good/plugin.yaml`,
      'name: good\nversion: "1"\nentry: mod.ts\nsdk: 1\n',
    );
    await Deno.writeTextFile(`${dir}/good/mod.ts`, "export default {};\n");
    await Deno.mkdir(`${dir}/bad`);
    await Deno.writeTextFile(
      `${dir}/bad/plugin.yaml`,
      'name: bad\nversion: "1"\nentry: mod.ts\nsdk: 1\nisolation: total\n',
    );
    const { code, stdout } = await check([`--plugins-dir=${dir}`]);
    assert.equal(code, 1);
    assert.match(stdout, /^good\s+1\s+launcher\s+session\s+host$/m);
    assert.match(
      stdout,
      /1 invalid manifest \(1 problem\):\n {2}.*\/bad\/plugin\.yaml:5: field "isolation" must be one of none, namespace, session, got "total"/,
    );
    const json = JSON.parse((await check([`--plugins-dir=${dir}`, "--json"])).stdout);
    assert.deepEqual(json.plugins.map((p: { name: string }) => p.name), ["good"]);
    assert.equal(json.errors[0].line, 5);
    assert.equal(json.errors[0].field, "isolation");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("check names a missing plugins directory and exits 2", async () => {
  const { code, stderr } = await check(["--plugins-dir=/nonexistent/plugins"]);
  assert.equal(code, 2);
  assert.match(stderr, /\/nonexistent\/plugins: plugins directory does not exist/);
});

const LAUNCHER = (name: string) =>
  `name: ${name}
version: "1"
entry: mod.ts
sdk: 1
isolation: none
permissions:
  read: ["\${plugin_dir}"]
`;

const GOOD_MODULE = `import { definePlugin } from "@launchbox/sdk";
export default definePlugin(() => ({
  async submitJob() {
    return {};
  },
  async controlJob() {
    return { statusMessage: "ok", operationComplete: true };
  },
  async *jobOutput() {},
  async clusterInfo() {
    return { queues: ["q"] };
  },
}));
`;

async function writePlugin(dir: string, name: string, manifest: string, module: string) {
  await Deno.mkdir(`${dir}/${name}`);
  await Deno.writeTextFile(`${dir}/${name}/plugin.yaml`, manifest);
  await Deno.writeTextFile(`${dir}/${name}/mod.ts`, module);
}

Deno.test("check loads every plugin's module in a sandbox and reports every problem of every plugin in one run", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await writePlugin(dir, "good", LAUNCHER("good"), GOOD_MODULE);
    await writePlugin(dir, "syntax", LAUNCHER("syntax"), `${GOOD_MODULE}\nconst x = ;\n`);
    await writePlugin(
      dir,
      "wrong_import",
      LAUNCHER("wrong_import"),
      GOOD_MODULE.replace('"@launchbox/sdk"', '"../../src/sdk/mod.ts"'),
    );
    await writePlugin(dir, "no_default", LAUNCHER("no_default"), "export const plugin = 1;\n");
    await writePlugin(
      dir,
      "bundle",
      'name: bundle\nversion: "1"\nkind: airflow\nentry: mod.ts\nsdk: 1\n',
      'import { defineBundle } from "@launchbox/sdk/airflow";\n\nthrow new Error("no bundle today");\nexport default defineBundle({ dags: {} });\n',
    );
    await writePlugin(
      dir,
      "bad_manifest",
      `${LAUNCHER("bad_manifest").replace("sdk: 1", "sdk: one")}run_as: nobody\n`,
      "",
    );
    const { code, stdout } = await check([`--plugins-dir=${dir}`]);
    assert.equal(code, 1, stdout);
    assert.match(stdout, /^good\s+1\s+launcher/m);
    assert.match(
      stdout,
      /1 invalid manifest \(2 problems\):\n {2}.*\/bad_manifest\/plugin\.yaml:4: field "sdk" must be a whole number >= 0, got "one"\n {2}.*\/bad_manifest\/plugin\.yaml:8: field "run_as" must be one of host, session-user, got "nobody"/,
    );
    assert.match(stdout, /4 plugins cannot load:/);
    assert.match(
      stdout,
      /^ {2}syntax: \S+\/syntax\/mod\.ts:15: syntax error: Expression expected \(fix the syntax\)$/m,
    );
    assert.match(
      stdout,
      /^ {2}wrong_import: \S+\/wrong_import\/mod\.ts:1: cannot import "\S+\/src\/sdk\/mod\.ts": .*"@launchbox\/sdk".*\(fix the import\)$/m,
    );
    assert.match(
      stdout,
      /^ {2}no_default: \S+\/no_default\/mod\.ts: does not export a launcher plugin \(add "export default definePlugin\(…\)"/m,
    );
    assert.match(
      stdout,
      /^ {2}bundle: \S+\/bundle\/mod\.ts:3: the module threw Error: no bundle today while loading/m,
    );
    assert.doesNotMatch(stdout, /^ {2}good:/m);
    const json = JSON.parse((await check([`--plugins-dir=${dir}`, "--json"])).stdout);
    assert.equal(json.errors.length, 6);
    const syntax = json.errors.find((e: { file: string }) => e.file.endsWith("/syntax/mod.ts"));
    assert.equal(syntax.line, 15);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("check shows an Airflow bundle's instance directory where the runtime puts it", async () => {
  const { code, stdout } = await check([`--plugins-dir=${PLUGINS}`]);
  assert.equal(code, 0, stdout);
  assert.match(stdout, /^example-bundle: an instance for DAG example_dag run manual_1 may$/m);
  assert.match(stdout, /^ {2}write <scratch>\/airflow\/example_dag$/m);
  assert.doesNotMatch(stdout, /instances\/ns\/example_dag/);
});

Deno.test("check reports the sys names a plugin may query", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/asks`);
    await Deno.writeTextFile(
      `${dir}/asks/plugin.yaml`,
      'name: asks\nversion: "1"\nentry: mod.ts\nsdk: 1\npermissions:\n  sys: ["hostname", "loadavg"]\n',
    );
    await Deno.writeTextFile(
      `${dir}/asks/mod.ts`,
      'export default { kind: "launcher", create: () => ({}) };\n',
    );
    const { stdout } = await check([`--plugins-dir=${dir}`]);
    assert.match(stdout, /^ {2}sys {3}hostname, loadavg$/m);
    assert.match(stdout, /^ {2}net {3}nothing$/m);
    const json = JSON.parse((await check([`--plugins-dir=${dir}`, "--json"])).stdout);
    assert.deepEqual(json.plugins[0].permissions.sys, ["hostname", "loadavg"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
