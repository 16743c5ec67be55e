import assert from "node:assert/strict";
import { defaultPluginsDir, discoverPlugins, findPlugin, selectPlugin } from "./discovery.ts";
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
      /^PluginLoadError: .*\/broken\/plugin\.yaml:\d+: plugin "broken" \(plugin= in the config file\) was skipped: invalid YAML/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("defaultPluginsDir is plugins/ beside the checkout under deno run", () => {
  assert.equal(defaultPluginsDir(), new URL("../../plugins", import.meta.url).pathname);
});

Deno.test("discoverPlugins refuses a plugin whose folder holds a link leading outside it, naming link and target", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  try {
    const plugin = async (folder: string) => {
      await Deno.mkdir(`${dir}/${folder}/lib`, { recursive: true });
      await Deno.writeTextFile(`${dir}/${folder}/plugin.yaml`, manifest(folder));
      await Deno.writeTextFile(`${dir}/${folder}/mod.ts`, "export default {};\n");
    };
    await plugin("shadow");
    await Deno.symlink("/etc/shadow", `${dir}/shadow/lib/secret`);
    await plugin("rootfs");
    await Deno.symlink("../../..", `${dir}/rootfs/lib/up`);
    await plugin("inside");
    await Deno.symlink("../mod.ts", `${dir}/inside/lib/entry.ts`);
    await plugin("entry_out");
    await Deno.remove(`${dir}/entry_out/mod.ts`);
    await Deno.symlink("/etc/passwd", `${dir}/entry_out/mod.ts`);
    const found = await discoverPlugins(dir);
    assert.deepEqual(found.plugins.map((p) => p.name), ["inside"]);
    const messages = found.errors.map((e) => e.message);
    assert.deepEqual(found.errors.map((e) => e.file.slice(dir.length)), [
      "/entry_out/mod.ts",
      "/rootfs/lib/up",
      "/shadow/lib/secret",
    ]);
    assert.match(
      messages[0]!,
      /link ".*\/entry_out\/mod\.ts" points outside the plugin folder, to "\/etc\/passwd"/,
    );
    assert.match(
      messages[1]!,
      /link ".*\/rootfs\/lib\/up" points outside the plugin folder, to ".*" \(written "\.\.\/\.\.\/\.\."\)/,
    );
    assert.match(
      messages[2]!,
      /link ".*\/shadow\/lib\/secret" points outside the plugin folder, to "\/etc\/shadow"/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("discoverPlugins reads a plugin folder that is a link at its canonical path", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  const elsewhere = await Deno.realPath(await Deno.makeTempDir());
  try {
    await Deno.writeTextFile(`${elsewhere}/plugin.yaml`, manifest("linked"));
    await Deno.writeTextFile(`${elsewhere}/mod.ts`, "export default {};\n");
    await Deno.symlink(elsewhere, `${dir}/linked`);
    const found = await discoverPlugins(dir);
    assert.deepEqual(found.plugins.map((p) => [p.name, p.dir]), [["linked", elsewhere]]);
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(elsewhere, { recursive: true });
  }
});

Deno.test("discoverPlugins refuses a plugin tree too deep to check, never checking it in part", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  try {
    await Deno.mkdir(`${dir}/deep`);
    await Deno.writeTextFile(`${dir}/deep/plugin.yaml`, manifest("deep"));
    await Deno.writeTextFile(`${dir}/deep/mod.ts`, "export default {};\n");
    await Deno.mkdir(`${dir}/deep/${Array(40).fill("d").join("/")}`, { recursive: true });
    const found = await discoverPlugins(dir);
    assert.deepEqual(found.plugins, []);
    assert.match(found.errors[0]!.message, /nested deeper than 32 levels/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("selectPlugin names why the plugin --plugin-name asks for was refused, never picking another", () => {
  const refused = new PluginLoadError('link "/p/leaks/secret" points outside the plugin folder', {
    file: "/p/leaks/secret",
  });
  const found = { dir: "/p", plugins: [], errors: [refused] };
  assert.throws(
    () => selectPlugin(found, { kind: "launcher", pluginName: "leaks" }),
    /plugin "leaks" \(--plugin-name\) was skipped: link "\/p\/leaks\/secret" points outside/,
  );
});

Deno.test("discoverPlugins refuses a plugin folder others could add links to after the check", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  try {
    for (const name of ["open", "foreign"]) {
      await Deno.mkdir(`${dir}/${name}/lib`, { recursive: true });
      await Deno.writeTextFile(`${dir}/${name}/plugin.yaml`, manifest(name));
      await Deno.writeTextFile(`${dir}/${name}/mod.ts`, "export default {};\n");
    }
    await Deno.chmod(`${dir}/open/lib`, 0o777);
    const owned = Deno.uid() === 0;
    if (owned) await Deno.chown(`${dir}/foreign/lib`, 4242, 4242);
    const found = await discoverPlugins(dir);
    const messages = found.errors.map((e) => e.message);
    assert.match(
      messages.find((m) => m.includes("/open/lib"))!,
      /directory ".*\/open\/lib" is writable by group or others \(mode 777\): they could add links/,
    );
    if (owned) {
      assert.match(
        messages.find((m) => m.includes("/foreign/lib"))!,
        /directory ".*\/foreign\/lib" is owned by uid 4242, not by root or the host's user/,
      );
    }
    assert.deepEqual(found.plugins.map((p) => p.name), owned ? [] : ["foreign"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("discoverPlugins refuses a plugin file another uid could change: group or other write, foreign owner", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  try {
    for (const name of ["open", "foreign", "manifest"]) {
      await Deno.mkdir(`${dir}/${name}/lib`, { recursive: true });
      await Deno.writeTextFile(`${dir}/${name}/plugin.yaml`, manifest(name));
      await Deno.writeTextFile(`${dir}/${name}/mod.ts`, "export default {};\n");
      await Deno.writeTextFile(`${dir}/${name}/lib/util.ts`, "export const x = 1;\n");
    }
    await Deno.chmod(`${dir}/open/lib/util.ts`, 0o646);
    await Deno.chmod(`${dir}/manifest/plugin.yaml`, 0o664);
    const owned = Deno.uid() === 0;
    if (owned) await Deno.chown(`${dir}/foreign/mod.ts`, 4242, 4242);
    const found = await discoverPlugins(dir);
    const messages = found.errors.map((e) => e.message);
    assert.match(
      messages.find((m) => m.includes("/open/"))!,
      /file ".*\/open\/lib\/util\.ts" is writable by group or others \(mode 646\): another user could change the plugin's code; run chmod go-w on it/,
    );
    assert.match(
      messages.find((m) => m.includes("/manifest/"))!,
      /file ".*\/manifest\/plugin\.yaml" is writable by group or others \(mode 664\)/,
    );
    if (owned) {
      assert.match(
        messages.find((m) => m.includes("/foreign/"))!,
        /file ".*\/foreign\/mod\.ts" is owned by uid 4242, not by root or the host's user: that user could change the plugin's code/,
      );
    }
    assert.deepEqual(found.plugins.map((p) => p.name), owned ? [] : ["foreign"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
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
          `${found.dir}/elsewhere/plugin.yaml:6: plugin "myp" (--plugin-name) was skipped: field "isolation" must be one of none, namespace, session, got "total"`,
        );
        return true;
      },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("findPlugin reads only the folder of the plugin named, leaving broken neighbours unread", async () => {
  const dir = await pluginsDir();
  try {
    const found = await findPlugin(dir, { kind: "launcher", pluginName: "zeta" });
    assert.equal(found.manifest.name, "zeta");
    // discoverPlugins would have reported broken, no_entry and twin.
    assert.deepEqual(found.skipped, []);
    const configured = await findPlugin(dir, {
      kind: "launcher",
      configured: "zeta",
      pluginName: "alpha",
    });
    assert.equal(configured.manifest.name, "zeta");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("findPlugin reads every plugin, with selectPlugin's errors, when the named folder does not hold it", async () => {
  const dir = await pluginsDir();
  try {
    const real = Deno.realPathSync(dir);
    // The folder holds a broken manifest: named by file and reason, as ever.
    await assert.rejects(
      findPlugin(dir, { kind: "launcher", pluginName: "broken" }),
      (error) =>
        error instanceof PluginLoadError && error.file === `${real}/broken/plugin.yaml` &&
        /plugin "broken" \(--plugin-name\) was skipped: invalid YAML/.test(error.message),
    );
    // The folder declares another name (a duplicate of alpha).
    await assert.rejects(
      findPlugin(dir, { kind: "launcher", pluginName: "twin" }),
      /plugin "twin" \(--plugin-name\) was skipped: plugin name "alpha" is already used/,
    );
    // The folder holds a plugin of the other kind.
    await assert.rejects(
      findPlugin(dir, { kind: "launcher", pluginName: "bundle" }),
      /cannot choose a launcher plugin .*available: alpha, zeta.*none is named "bundle"/,
    );
    // No name: the only plugin of the kind, and the broken ones it skipped.
    const only = await findPlugin(dir, { kind: "airflow" });
    assert.equal(only.manifest.name, "bundle");
    assert.deepEqual(only.skipped.map((error) => error.file.slice(real.length)), [
      "/broken/plugin.yaml",
      "/no_entry/plugin.yaml",
      "/twin/plugin.yaml",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("findPlugin checks the named plugin's tree for links leading out", async () => {
  const dir = await pluginsDir();
  try {
    await Deno.symlink("/etc/shadow", `${dir}/zeta/secret`);
    await assert.rejects(
      findPlugin(dir, { kind: "launcher", pluginName: "zeta" }),
      /plugin "zeta" \(--plugin-name\) was skipped: link ".*\/zeta\/secret" points outside/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
