import { canonicalPath } from "./canonical_path.ts";
import { isWithin } from "./entry_path.ts";
import type { Manifest } from "./manifest.ts";
import { checkAbsolute, checkHostRootRead, type PermissionKind } from "./permission_rules.ts";
import { checkProgram } from "./run_programs.ts";
import { swappableBy } from "./trusted_path.ts";

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
 * expanded, plus read of the plugin folder and read/write of the instance directory.
 * Read and write grants are canonical paths (links resolved), because Deno compares
 * permission paths as strings and follows links inside a granted folder; the rules run
 * again on the canonical paths. A program is granted as written and as its canonical
 * path, once `checkProgram` has passed both and found no other user able to swap either.
 * Kinds left empty are denied; ffi and import are always denied. Throws `RangeError`
 * naming the plugin, the entry and the reason when an expanded grant would escape.
 */
export function expandPermissions(
  manifest: Manifest,
  places: Placeholders,
): Deno.PermissionOptionsObject {
  const real = canonicalPlaces(places);
  const refuse: Refuse = (kind, path, why) => {
    throw new RangeError(`Cannot grant plugin "${manifest.name}" ${kind} of "${path}": ${why}`);
  };
  const expand = (kind: PermissionKind) =>
    manifest.permissions[kind].flatMap((entry) => expandEntry(entry, real));
  const orFalse = (list: string[]) => list.length > 0 ? unique(list) : false;
  const optedIn = new Set(manifest.allowTrampolines.flatMap((entry) => expandEntry(entry, real)));
  return {
    read: reads(expand("read"), real, manifest.runAs === "host", refuse),
    write: writes(expand("write"), real, refuse),
    run: orFalse(
      expand("run").flatMap((path) => {
        const checked = checkProgram(path, optedIn.has(path));
        if (checked.problem) refuse("run", path, checked.problem);
        return [path, checked.canonical];
      }),
    ),
    env: orFalse(expand("env")),
    net: orFalse(expand("net")),
    // Names checked by the manifest's rules (SYS_NAMES): system information that only reads.
    sys: orFalse(manifest.permissions.sys),
    ffi: false,
    import: false,
  };
}

type Refuse = (kind: string, path: string, why: string) => never;

function reads(entries: string[], real: Placeholders, asHost: boolean, refuse: Refuse): string[] {
  const read = unique([
    real.pluginDir,
    real.instanceDir,
    ...(real.importDirs ?? []),
    ...entries.map(canonicalPath),
  ]);
  const hostRoots = [real.pluginDir, real.instanceDir, ...(real.importDirs ?? [])];
  for (const path of read) {
    const inHostRoot = hostRoots.some((root) => isWithin(path, root));
    const problem = inHostRoot ? checkHostRootRead(path) : checkAbsolute("read", path);
    if (problem) refuse("read", path, problem);
    if (isWithin(real.scratch, path) && path !== real.instanceDir) {
      refuse("read", path, `it contains the scratch path ${real.scratch}`);
    }
    if (isWithin(path, real.scratch) && !isWithin(path, real.instanceDir)) {
      refuse(
        "read",
        path,
        `it is inside the scratch path ${real.scratch}, outside the instance directory`,
      );
    }
  }
  if (asHost) refuseSwappable(read, real, refuse);
  return read;
}

function writes(entries: string[], real: Placeholders, refuse: Refuse): string[] {
  const write = unique([real.instanceDir, ...entries.map(canonicalPath)]);
  for (const path of write) {
    const home = real.userHome;
    if (!isWithin(path, real.instanceDir) && !(home && isWithin(path, home))) {
      refuse("write", path, "it resolves outside the instance directory and the user's home");
    }
  }
  return write;
}

/**
 * At `run_as: host` the runner has the host's uid: a link another user plants in (or
 * swaps for) a granted path would be followed with it. Grants outside the plugin folder
 * (checked at discovery) and the instance directory (the host's own) must be paths no
 * other user can change.
 */
function refuseSwappable(
  paths: string[],
  real: Placeholders,
  refuse: Refuse,
): void {
  for (const path of paths) {
    if (isWithin(path, real.pluginDir) || isWithin(path, real.instanceDir)) continue;
    if ((real.importDirs ?? []).some((dir) => isWithin(path, dir))) continue;
    const swap = swappableBy(path);
    if (swap) {
      refuse(
        "read",
        path,
        `${swap}; at run_as: host the runner would follow it with the host's uid`,
      );
    }
  }
}

function canonicalPlaces(places: Placeholders): Placeholders {
  return {
    pluginDir: canonicalPath(places.pluginDir),
    instanceDir: canonicalPath(places.instanceDir),
    userHome: places.userHome === undefined ? undefined : canonicalPath(places.userHome),
    scratch: canonicalPath(places.scratch),
    ...(places.importDirs ? { importDirs: places.importDirs.map(canonicalPath) } : {}),
  };
}

/** Expands one normalised entry (see `normalizeEntry`); placeholders are followed by `/` or end it. */
function expandEntry(entry: string, places: Placeholders): string[] {
  if (entry.startsWith("${user_home}") && places.userHome === undefined) return [];
  const swap = (placeholder: string, value: string) =>
    entry.startsWith(placeholder) ? value + entry.slice(placeholder.length) : undefined;
  return [
    swap("${plugin_dir}", places.pluginDir) ??
      swap("${instance_dir}", places.instanceDir) ??
      swap("${user_home}", places.userHome ?? "") ??
      entry,
  ];
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}
