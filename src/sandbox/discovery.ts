import { type Manifest, parseManifest } from "./manifest.ts";
import { canonicalPath } from "./canonical_path.ts";
import { PluginLoadError } from "./plugin_load_error.ts";
import { checkPluginTree } from "./plugin_tree.ts";

/** What a plugins directory holds: valid plugins by name, and every broken manifest. */
export interface Discovered {
  dir: string;
  plugins: Manifest[];
  errors: PluginLoadError[];
}

/** `plugins/` beside the compiled binary, or beside the checkout's main.ts under `deno run`. */
export function defaultPluginsDir(): string {
  if (Deno.build.standalone) {
    const exe = Deno.execPath();
    return `${exe.slice(0, exe.lastIndexOf("/"))}/plugins`;
  }
  return new URL("../../plugins", import.meta.url).pathname;
}

/**
 * Reads every `<dir>/<folder>/plugin.yaml`. A broken manifest, a missing entry module, a
 * duplicate name or a link that leads out of the plugin's folder is reported and skipped;
 * it never hides the other plugins. A folder that is itself a link is read at its
 * canonical path, which becomes the plugin's `${plugin_dir}`.
 */
export async function discoverPlugins(dir: string): Promise<Discovered> {
  const root = realDirectory(dir);
  const plugins: Manifest[] = [];
  const errors: PluginLoadError[] = [];
  const folders: string[] = [];
  // Synchronous reads: a host reads its plugins once, before serving, and each
  // asynchronous call would cost a trip through Deno's blocking thread pool.
  for (const entry of Deno.readDirSync(root)) {
    if (entry.isDirectory || entry.isSymlink) folders.push(entry.name);
  }
  for (const folder of folders.sort()) {
    const real = canonicalPath(`${root}/${folder}`);
    if (!isDirectory(real)) continue;
    const file = `${real}/plugin.yaml`;
    let text: string;
    try {
      text = Deno.readTextFileSync(file);
    } catch {
      continue;
    }
    try {
      checkPluginTree(real);
      plugins.push(checked(await parseManifest(text, file), plugins));
    } catch (error) {
      if (error instanceof PluginLoadError) errors.push(error);
      else throw error;
    }
  }
  return { dir: root, plugins, errors };
}

function checked(manifest: Manifest, seen: Manifest[]): Manifest {
  const twin = seen.find((other) => other.name === manifest.name);
  if (twin) {
    throw new PluginLoadError(`plugin name "${manifest.name}" is already used by ${twin.file}`, {
      file: manifest.file,
      field: "name",
    });
  }
  const exists = isFile(manifest.entryPath);
  if (!exists) {
    throw new PluginLoadError(`entry module ${manifest.entryPath} does not exist`, {
      file: manifest.file,
      field: "entry",
    });
  }
  return manifest;
}

function isDirectory(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

function realDirectory(dir: string): string {
  try {
    const real = Deno.realPathSync(dir);
    if (Deno.statSync(real).isDirectory) return real;
  } catch {
    // reported below
  }
  throw new PluginLoadError("plugins directory does not exist or is not a directory", {
    file: dir,
    field: "plugins-dir",
  });
}

/**
 * Picks the plugin of a kind: `plugin=` from the config file first, else the plugin
 * named like `--plugin-name`, else the only one. Otherwise the error lists what exists.
 */
export function selectPlugin(
  found: Discovered,
  choice: { kind: Manifest["kind"]; configured?: string; pluginName?: string },
): Manifest {
  const candidates = found.plugins.filter((plugin) => plugin.kind === choice.kind);
  const names = candidates.map((plugin) => plugin.name);
  const available = names.length > 0 ? `available: ${names.join(", ")}` : "none is installed";
  if (choice.configured) {
    const chosen = candidates.find((plugin) => plugin.name === choice.configured);
    if (chosen) return chosen;
    const broken = found.errors.find((error) => error.file.includes(`/${choice.configured}/`));
    const why = broken ? `; its manifest is invalid: ${broken.message}` : "";
    throw new PluginLoadError(
      `no ${choice.kind} plugin named "${choice.configured}" in ${found.dir} (${available})${why}`,
      {
        file: found.dir,
        field: "plugin",
      },
    );
  }
  const byName = candidates.find((plugin) => plugin.name === choice.pluginName);
  if (byName) return byName;
  const refused = choice.pluginName
    ? found.errors.find((error) => error.file.includes(`/${choice.pluginName}/`))
    : undefined;
  if (refused) {
    throw new PluginLoadError(`plugin "${choice.pluginName}" was refused: ${refused.message}`, {
      file: refused.file,
      field: "plugin",
    });
  }
  if (candidates.length === 1) return candidates[0]!;
  throw new PluginLoadError(
    `cannot choose a ${choice.kind} plugin in ${found.dir} (${available}); set plugin=<name> in the config file ` +
      `or pass --plugin-name`,
    { file: found.dir, field: "plugin" },
  );
}
