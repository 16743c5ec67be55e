import type { Manifest } from "./manifest.ts";
import type { PermissionKind } from "./permission_rules.ts";

/** The absolute paths placeholders stand for, for one instance. */
export interface Placeholders {
  pluginDir: string;
  instanceDir: string;
  /** The job user's home; entries using it are dropped when there is no single user. */
  userHome: string | undefined;
  /** The scratch root: no read entry may contain it (it holds other instances and the job store). */
  scratch: string;
  /** Extra read-only directories the plugin's imports need (the SDK under `deno run`). */
  importDirs?: string[];
}

/**
 * The Worker permissions of one instance: the manifest's entries with placeholders
 * expanded to absolute paths, plus read of the plugin folder and read/write of the
 * instance directory. Kinds left empty are denied; sys, ffi and import are always denied.
 * Throws `RangeError` when an expanded read path would expose the scratch root, or when
 * a program to run is the host's own binary.
 */
export function expandPermissions(
  manifest: Manifest,
  places: Placeholders,
): Deno.PermissionOptionsObject {
  const expand = (kind: PermissionKind) =>
    manifest.permissions[kind].flatMap((entry) => expandEntry(entry, places));
  const read = unique([
    places.pluginDir,
    places.instanceDir,
    ...(places.importDirs ?? []),
    ...expand("read"),
  ]);
  for (const path of read) {
    if (contains(path, places.scratch) && path !== places.instanceDir) {
      throw new RangeError(
        `Cannot grant plugin "${manifest.name}" read of "${path}": it contains the scratch path ${places.scratch}`,
      );
    }
  }
  const run = expand("run");
  if (run.includes(Deno.execPath())) {
    throw new RangeError(
      `Cannot grant plugin "${manifest.name}" run of "${Deno.execPath()}": it is the host's own binary, which would run with the whole permission ceiling`,
    );
  }
  const orFalse = (list: string[]) => list.length > 0 ? unique(list) : false;
  return {
    read,
    write: unique([places.instanceDir, ...expand("write")]),
    run: orFalse(run),
    env: orFalse(expand("env")),
    net: orFalse(expand("net")),
    sys: false,
    ffi: false,
    import: false,
  };
}

function expandEntry(entry: string, places: Placeholders): string[] {
  if (entry.startsWith("${user_home}") && places.userHome === undefined) return [];
  const path = entry
    .replace("${plugin_dir}", places.pluginDir)
    .replace("${instance_dir}", places.instanceDir)
    .replace("${user_home}", places.userHome ?? "");
  return [path.length > 1 ? path.replace(/\/+$/, "") : path];
}

/** Whether `outer` is `inner` or one of its parent directories. */
function contains(outer: string, inner: string): boolean {
  const o = outer.replace(/\/+$/, "") || "/";
  return inner === o || inner.startsWith(o === "/" ? "/" : `${o}/`);
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}
