import { canonicalPath } from "./canonical_path.ts";
import { PLUGIN_TREE_MAX_DEPTH, PLUGIN_TREE_MAX_ENTRIES } from "./constants.ts";
import { isWithin } from "./entry_path.ts";
import { PluginLoadError } from "./plugin_load_error.ts";

/**
 * Refuses a plugin folder (canonical path) that holds a link resolving outside it: Deno
 * grants `${plugin_dir}` by path string and opens whatever a link inside points at, so
 * `secret -> /etc/shadow` or `rootfs -> /` would hand the plugin the host's files. Walks the
 * whole tree without following links; a tree deeper or larger than the bounds is refused,
 * never checked in part. Throws `PluginLoadError` naming the link and its target.
 */
export function checkPluginTree(dir: string): void {
  let entries = 0;
  const walk = (folder: string, depth: number) => {
    if (depth > PLUGIN_TREE_MAX_DEPTH) {
      throw new PluginLoadError(
        `plugin folder is nested deeper than ${PLUGIN_TREE_MAX_DEPTH} levels; Launchbox checks every link in it`,
        { file: folder },
      );
    }
    for (const entry of Deno.readDirSync(folder)) {
      if (++entries > PLUGIN_TREE_MAX_ENTRIES) {
        throw new PluginLoadError(
          `plugin folder holds more than ${PLUGIN_TREE_MAX_ENTRIES} files; Launchbox checks every link in it`,
          { file: dir },
        );
      }
      const path = `${folder}/${entry.name}`;
      if (entry.isSymlink) checkLink(dir, path);
      else if (entry.isDirectory) walk(path, depth + 1);
    }
  };
  walk(dir, 0);
}

function checkLink(dir: string, path: string): void {
  let written = "?";
  try {
    written = Deno.readLinkSync(path);
  } catch {
    // reported with "?" below if the resolved target is outside
  }
  const target = canonicalPath(path);
  if (!isWithin(target, dir)) {
    throw new PluginLoadError(
      `link "${path}" points outside the plugin folder, to "${target}"` +
        (written === target ? "" : ` (written "${written}")`) +
        "; replace it with the file itself",
      { file: path },
    );
  }
}
