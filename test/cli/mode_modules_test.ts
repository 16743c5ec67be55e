import assert from "node:assert/strict";
import { MODE_MODULES } from "../../main.ts";
import { LAZY_MODULES } from "../../src/cli/lazy_modules.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

Deno.test("bin/build passes every mode module of main.ts to deno compile --include", async () => {
  const build = await Deno.readTextFile(`${ROOT}bin/build`);
  const pattern = build.match(/grep -oE '([^']+)' main\.ts/)?.[1];
  assert.ok(pattern, "bin/build no longer extracts the mode modules from main.ts with grep -oE");
  const extract = new RegExp(pattern.replaceAll("\\\\", "\\"));
  for (const [mode, specifier] of Object.entries(MODE_MODULES)) {
    assert.match(`"${specifier}"`, extract, `the ${mode} module would not be embedded`);
    await Deno.stat(new URL(specifier, `file://${ROOT}`)).catch(() => {
      assert.fail(`the ${mode} module ${specifier} does not exist`);
    });
  }
});

Deno.test("bin/build passes every lazily loaded host module to deno compile --include", async () => {
  const build = await Deno.readTextFile(`${ROOT}bin/build`);
  const pattern = build.match(/grep -oE '([^']+)' src\/cli\/lazy_modules\.ts/)?.[1];
  assert.ok(pattern, "bin/build no longer extracts the lazy modules with grep -oE");
  const extract = new RegExp(pattern.replaceAll("\\\\", "\\"));
  for (const [name, specifier] of Object.entries(LAZY_MODULES)) {
    assert.match(`"${specifier}"`, extract, `the ${name} module would not be embedded`);
    await Deno.stat(new URL(specifier, `file://${ROOT}`)).catch(() => {
      assert.fail(`the ${name} module ${specifier} does not exist`);
    });
  }
});

Deno.test("bin/build passes every module src/ loads by a URL of its own to deno compile --include", async () => {
  const build = await Deno.readTextFile(`${ROOT}bin/build`);
  const included = new Set(
    [...build.matchAll(/printf '%s\\n' ([^\n]+)/g)].flatMap((m) => m[1]!.split(" ")),
  );
  const byUrl: string[] = [];
  for await (const file of walkTs(`${ROOT}src`)) {
    const text = await Deno.readTextFile(file);
    for (const m of text.matchAll(/new URL\("(\.{1,2}\/[^"]+\.ts)", import\.meta\.url\)/g)) {
      byUrl.push(new URL(m[1]!, `file://${file}`).pathname.slice(ROOT.length));
    }
  }
  assert.ok(byUrl.includes("src/sandbox/yaml_library.ts"), "the YAML library is not found by URL");
  for (const module of byUrl) {
    assert.ok(included.has(module), `${module} is loaded by URL but bin/build does not include it`);
  }
});

async function* walkTs(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) yield* walkTs(path);
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith("_test.ts")) yield path;
  }
}
