import assert from "node:assert/strict";
import { prepareRunnerCache } from "./runner_cache.ts";

/** A plugin entry whose source (and so its transpiled form) holds `marker`. */
async function pluginWith(root: string, name: string, marker: string): Promise<string> {
  await Deno.mkdir(`${root}/${name}`, { recursive: true });
  const entry = `${root}/${name}/mod.ts`;
  await Deno.writeTextFile(entry, `const secret: string = "${marker}";\nexport default secret;\n`);
  return entry;
}

/** Whether any file under `dir` holds `text` (Deno's caches are files and SQLite files). */
function holds(dir: string, text: string): boolean {
  const bytes = new TextEncoder().encode(text);
  for (const entry of Deno.readDirSync(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory && holds(path, text)) return true;
    if (!entry.isFile) continue;
    const data = Deno.readFileSync(path);
    outer: for (let i = 0; i + bytes.length <= data.length; i++) {
      for (let j = 0; j < bytes.length; j++) if (data[i + j] !== bytes[j]) continue outer;
      return true;
    }
  }
  return false;
}

Deno.test("prepareRunnerCache keeps no other plugin's code in a cache it refills for another plugin", async () => {
  const root = await Deno.makeTempDir({ prefix: "launchbox-runner-cache-" });
  try {
    const a = await pluginWith(root, "plugin_a", "only-plugin-a-knows-this");
    const b = await pluginWith(root, "plugin_b", "only-plugin-b-knows-this");
    const cache = `${root}/runner-cache`;
    await prepareRunnerCache(cache, [a]);
    assert.ok(holds(cache, "only-plugin-a-knows-this"), "the cache was filled for plugin a");
    await prepareRunnerCache(cache, [b]);
    assert.ok(!holds(cache, "only-plugin-a-knows-this"), "plugin a's code is still in b's cache");
    assert.ok(!holds(cache, `${root}/plugin_a`), "plugin a's path is still in b's cache");
    assert.ok(holds(cache, "only-plugin-b-knows-this"));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
