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
      /1 invalid manifest:\n {2}.*\/bad\/plugin\.yaml:5: field "isolation" must be one of none, namespace, session, got "total"/,
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
