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
    try {
      const manifest = await readPluginFolder(root, folder, plugins);
      if (manifest) plugins.push(manifest);
    } catch (error) {
      if (error instanceof PluginLoadError) errors.push(error, ...error.related);
      else throw error;
    }
  }
  return { dir: root, plugins, errors };
}

/** Which plugin {@linkcode selectPlugin} should pick. */
export interface PluginChoice {
  kind: Manifest["kind"];
  /** `plugin=` of the config file; wins over `pluginName`. */
  configured?: string;
  /** `--plugin-name`, which the Launcher always passes. */
  pluginName?: string;
}

/**
 * The plugin to serve, reading as little as it can: when a plugin is named and the folder
 * of that name holds a valid manifest of the kind that declares the name, only that folder
 * is read and its tree checked, so start-up costs one manifest however many plugins are
 * installed. Otherwise it is {@linkcode discoverPlugins} then {@linkcode selectPlugin}, with
 * their errors, and the broken manifests it skipped. Other plugins' manifests stay unread:
 * `launchbox check` reports those.
 */
export async function findPlugin(
  dir: string,
  choice: PluginChoice,
): Promise<{ manifest: Manifest; skipped: PluginLoadError[] }> {
  const name = choice.configured ?? choice.pluginName;
  if (name && !name.includes("/") && name !== "." && name !== "..") {
    const root = realDirectory(dir);
    try {
      const manifest = await readPluginFolder(root, name, []);
      if (manifest?.name === name && manifest.kind === choice.kind) {
        return { manifest, skipped: [] };
      }
    } catch (error) {
      // Read again below among all plugins, which names the problem the same way as ever.
      if (!(error instanceof PluginLoadError)) throw error;
    }
  }
  const found = await discoverPlugins(dir);
  return { manifest: selectPlugin(found, choice), skipped: found.errors };
}

/**
 * The manifest of `<root>/<folder>/plugin.yaml` (undefined when there is none), its tree
 * checked for links leading out and its entry module present; `seen` are the plugins read
 * before it, whose names it may not reuse.
 */
async function readPluginFolder(
  root: string,
  folder: string,
  seen: Manifest[],
): Promise<Manifest | undefined> {
  const real = canonicalPath(`${root}/${folder}`);
  if (!isDirectory(real)) return undefined;
  const file = `${real}/plugin.yaml`;
  let text: string;
  try {
    text = Deno.readTextFileSync(file);
  } catch {
    return undefined;
  }
  checkPluginTree(real);
  return checked(await parseManifest(text, file), seen);
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
export function selectPlugin(found: Discovered, choice: PluginChoice): Manifest {
  const candidates = found.plugins.filter((plugin) => plugin.kind === choice.kind);
  const names = candidates.map((plugin) => plugin.name);
  const available = names.length > 0 ? `available: ${names.join(", ")}` : "none is installed";
  if (choice.configured) {
    const chosen = candidates.find((plugin) => plugin.name === choice.configured);
    if (chosen) return chosen;
    skippedPlugin(found, choice.configured, "plugin= in the config file");
    throw new PluginLoadError(
      `no ${choice.kind} plugin named "${choice.configured}" in ${found.dir} (${available})`,
      { file: found.dir, field: "plugin" },
    );
  }
  const byName = candidates.find((plugin) => plugin.name === choice.pluginName);
  if (byName) return byName;
  if (choice.pluginName) skippedPlugin(found, choice.pluginName, "--plugin-name");
  if (candidates.length === 1) return candidates[0]!;
  const skipped = found.errors.length > 0
    ? `; skipped: ${found.errors.map((error) => error.message).join("; ")}`
    : "";
  const ask = choice.pluginName
    ? `none is named "${choice.pluginName}" (--plugin-name); set plugin=<name> in the config file`
    : "set plugin=<name> in the config file or pass --plugin-name";
  throw new PluginLoadError(
    `cannot choose a ${choice.kind} plugin in ${found.dir} (${available}): ${ask}${skipped}`,
    { file: found.dir, field: "plugin" },
  );
}

/**
 * Throws, naming the manifest's file, line and reason, when the plugin asked for by `how`
 * was skipped for an invalid manifest (found by its folder or the `name:` it declares).
 */
function skippedPlugin(found: Discovered, name: string, how: string): void {
  const broken = found.errors.find((error) =>
    error.file.startsWith(`${found.dir}/${name}/`) || declaredName(error.file) === name
  );
  if (!broken) return;
  throw new PluginLoadError(
    `plugin "${name}" (${how}) was skipped: ${
      broken.message.slice(broken.message.indexOf(": ") + 2)
    }`,
    {
      file: broken.file,
      ...(broken.line === undefined ? {} : { line: broken.line }),
      ...(broken.field === undefined ? {} : { field: broken.field }),
    },
    { cause: broken },
  );
}

/** The `name:` a manifest declares, read as text (the manifest did not parse as a whole). */
function declaredName(file: string): string | undefined {
  try {
    return /^name:\s*["']?([^"'\s#]+)/m.exec(Deno.readTextFileSync(file))?.[1];
  } catch {
    return undefined;
  }
}
