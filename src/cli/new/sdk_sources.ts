import { VERSION } from "../help.ts";

/** The SDK sources beside this module: the checkout's, or the binary's embedded copy. */
const OWN_SDK = new URL("../../sdk/", import.meta.url).pathname;

/**
 * A folder holding the SDK's TypeScript sources, for a plugin's own `deno.json` to point
 * `@launchbox/sdk` at (so `deno check` and `deno test` type-check against the SDK the
 * host runs). Under `deno run` it is the checkout's `src/sdk/`. A compiled binary uses
 * `src/sdk/` beside itself (`bin/build` lays it out there), else writes its embedded copy
 * to `~/.local/share/launchbox/sdk-<version>/` once, read-only.
 */
export async function sdkSourceDir(): Promise<string> {
  if (!Deno.build.standalone) return OWN_SDK.replace(/\/$/, "");
  const beside = `${Deno.execPath().replace(/\/[^/]*$/, "")}/src/sdk`;
  if (await isFile(`${beside}/mod.ts`)) return beside;
  const home = Deno.env.get("XDG_DATA_HOME") ?? `${Deno.env.get("HOME") ?? "/tmp"}/.local/share`;
  const target = `${home}/launchbox/sdk-${VERSION}`;
  if (!(await isFile(`${target}/mod.ts`))) await copyTree(OWN_SDK, target);
  return target;
}

async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (entry.isDirectory) await copyTree(`${from}${entry.name}/`, `${to}/${entry.name}`);
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith("_test.ts")) {
      await Deno.writeTextFile(`${to}/${entry.name}`, await Deno.readTextFile(from + entry.name), {
        mode: 0o444,
      });
    }
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}
