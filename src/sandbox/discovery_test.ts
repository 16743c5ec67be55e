import assert from "node:assert/strict";
import { defaultPluginsDir, discoverPlugins, selectPlugin } from "./discovery.ts";
import { PluginLoadError } from "./plugin_load_error.ts";

const manifest = (name: string, kind = "launcher") =>
  `name: ${name}\nversion: "1.0.0"\nkind: ${kind}\nentry: mod.ts\nsdk: 1\n`;

/** A plugins directory with good, broken, duplicate and entry-less plugins. */
async function pluginsDir(): Promise<string> {
  const dir = await Deno.makeTempDir();
  const plugin = async (folder: string, yaml: string, entry = true) => {
    await Deno.mkdir(`${dir}/${folder}`);
    await Deno.writeTextFile(`${dir}/${folder}/plugin.yaml`, yaml);
    if (entry) await Deno.writeTextFile(`${dir}/${folder}/mod.ts`, "export default {};\n");
  };
  await plugin("zeta", manifest("zeta"));
  await plugin("alpha", manifest("alpha"));
  await plugin("bundle", manifest("bundle", "airflow"));
  await plugin("broken", manifest("broken").replace("sdk: 1", "sdk: [1"));
  await plugin("twin", manifest("alpha"));
  await plugin("no_entry", manifest("no_entry"), false);
  await Deno.mkdir(`${dir}/not_a_plugin`);
  return dir;
}

Deno.test("discoverPlugins keeps valid plugins sorted and reports each broken one", async () => {
  const dir = await pluginsDir();
  try {
    const found = await discoverPlugins(dir);
    assert.deepEqual(found.plugins.map((p) => p.name), ["alpha", "bundle", "zeta"]);
    assert.deepEqual(
      found.errors.map((e) => [e.file.slice(dir.length), e.field]),
      [["/broken/plugin.yaml", undefined], ["/no_entry/plugin.yaml", "entry"], [
        "/twin/plugin.yaml",
        "name",
      ]],
    );
    assert.match(found.errors[0]!.message, /^.*\/broken\/plugin\.yaml:\d+: invalid YAML: /);
    assert.match(found.errors[2]!.message, /plugin name "alpha" is already used by .*\/alpha\//);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("discoverPlugins refuses a plugins directory that does not exist", async () => {
  await assert.rejects(
    discoverPlugins("/nonexistent/plugins"),
    (error) => error instanceof PluginLoadError && error.field === "plugins-dir",
  );
});

Deno.test("selectPlugin prefers plugin= from the config, then --plugin-name, then the only one", async () => {
  const dir = await pluginsDir();
  try {
    const found = await discoverPlugins(dir);
    const pick = (choice: { configured?: string; pluginName?: string }) =>
      selectPlugin(found, { kind: "launcher", ...choice }).name;
    assert.equal(pick({ configured: "zeta", pluginName: "alpha" }), "zeta");
    assert.equal(pick({ pluginName: "alpha" }), "alpha");
    assert.equal(selectPlugin(found, { kind: "airflow" }).name, "bundle");
    assert.throws(
      () => pick({ pluginName: "launchbox" }),
      /cannot choose a launcher plugin in .* \(available: alpha, zeta\): none is named "launchbox" \(--plugin-name\); set plugin=<name> in the config file; skipped: .*\/broken\/plugin\.yaml:\d+: invalid YAML/,
    );
    assert.throws(
      () => pick({ configured: "broken" }),
      /^PluginLoadError: .*\/broken\/plugin\.yaml:\d+: plugin "broken" \(plugin= in the config file\) was skipped because its manifest is invalid: invalid YAML/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("defaultPluginsDir is plugins/ beside the checkout under deno run", () => {
  assert.equal(defaultPluginsDir(), new URL("../../plugins", import.meta.url).pathname);
});

Deno.test("selectPlugin names the manifest, line and reason when the --plugin-name plugin was skipped", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // The only plugin, named like --plugin-name in its folder and in its name: line.
    await Deno.mkdir(`${dir}/elsewhere`);
    await Deno.writeTextFile(
      `${dir}/elsewhere/plugin.yaml`,
      `${manifest("myp")}isolation: total\n`,
    );
    await Deno.writeTextFile(`${dir}/elsewhere/mod.ts`, "export default {};\n");
    const found = await discoverPlugins(dir);
    assert.throws(
      () => selectPlugin(found, { kind: "launcher", pluginName: "myp" }),
      (error) => {
        assert.ok(error instanceof PluginLoadError);
        assert.equal(error.file, `${found.dir}/elsewhere/plugin.yaml`);
        assert.equal(error.line, 6);
        assert.equal(
          error.message,
          `${found.dir}/elsewhere/plugin.yaml:6: plugin "myp" (--plugin-name) was skipped because ` +
            `its manifest is invalid: field "isolation" must be one of none, namespace, session, got "total"`,
        );
        return true;
      },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
