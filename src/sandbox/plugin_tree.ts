import { canonicalPath } from "./canonical_path.ts";
import { PLUGIN_TREE_MAX_DEPTH, PLUGIN_TREE_MAX_ENTRIES } from "./constants.ts";
import { isWithin } from "./entry_path.ts";
import { PluginLoadError } from "./plugin_load_error.ts";

/**
 * Refuses a plugin folder (canonical path) that holds a link resolving outside it: Deno
 * grants `${plugin_dir}` by path string and opens whatever a link inside points at, so
 * `secret -> /etc/shadow` or `rootfs -> /` would hand the plugin the host's files. Walks the
 * whole tree without following links; a tree deeper or larger than the bounds is refused,
 * never checked in part. So that no link can be added between this check and the
 * plugin's use of its files, every directory of the tree (and the folder holding it, unless
 * sticky) must be owned by root or the host's user and not writable by group or others,
 * and so must every file: a runner never loads code another uid can change. Throws
 * `PluginLoadError` naming the link and its target, or the directory or file.
 */
export function checkPluginTree(dir: string): void {
  checkDirectory(dirname(dir), true);
  let entries = 0;
  const walk = (folder: string, depth: number) => {
    if (depth > PLUGIN_TREE_MAX_DEPTH) {
      throw new PluginLoadError(
        `plugin folder is nested deeper than ${PLUGIN_TREE_MAX_DEPTH} levels; Launchbox checks every link in it`,
        { file: folder },
      );
    }
    checkDirectory(folder, false);
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
      else checkFile(path);
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

/** Refuses a file (lstat: the entry itself) another uid could change. */
function checkFile(path: string): void {
  const info = Deno.lstatSync(path);
  const mode = (info.mode ?? 0) & 0o7777;
  const refuse = (why: string): never => {
    throw new PluginLoadError(`file "${path}" ${why}`, { file: path });
  };
  const owner = info.uid ?? 0;
  if (owner !== 0 && owner !== Deno.uid()) {
    refuse(
      `is owned by uid ${owner}, not by root or the host's user: that user could change the plugin's code; run chown root on it`,
    );
  }
  if ((mode & 0o022) !== 0) {
    refuse(
      `is writable by group or others (mode ${
        (mode & 0o777).toString(8)
      }): another user could change the plugin's code; run chmod go-w on it`,
    );
  }
}

/** Refuses a directory others could add links to: foreign owner, or group/other write. */
function checkDirectory(path: string, stickyIsEnough: boolean): void {
  const info = Deno.statSync(path);
  const mode = (info.mode ?? 0) & 0o7777;
  const owner = info.uid ?? 0;
  const refuse = (why: string): never => {
    throw new PluginLoadError(`directory "${path}" ${why}`, { file: path });
  };
  if (owner !== 0 && owner !== Deno.uid()) {
    refuse(
      `is owned by uid ${owner}, not by root or the host's user: that user could add links after Launchbox checked the plugin`,
    );
  }
  if ((mode & 0o022) !== 0 && !(stickyIsEnough && (mode & 0o1000) !== 0)) {
    refuse(
      `is writable by group or others (mode ${
        (mode & 0o777).toString(8)
      }): they could add links after Launchbox checked the plugin; run chmod go-w on it`,
    );
  }
}

function dirname(path: string): string {
  return path.slice(0, path.lastIndexOf("/")) || "/";
}
