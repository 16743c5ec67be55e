import { ancestors } from "./path_ancestors.ts";
import type { SystemUser } from "./users.ts";

/**
 * A path a runner started as another user needs: `read` a file, or a directory and (with
 * `tree`) everything under it; `run` a program.
 */
export interface NeededPath {
  readonly path: string;
  readonly access: "read" | "run";
  /** Check every entry under a directory too (the plugin folder, the source tree). */
  readonly tree?: boolean;
}

/** Names of accounts and groups by id, for messages (a `UserDirectory`). */
export interface AccountNames {
  userNameOf(uid: number): string | undefined;
  groupNameOf(gid: number): string | undefined;
}

/** Why `user` cannot reach one needed path. */
export interface Unreachable {
  /** The needed path (as given). */
  readonly path: string;
  readonly access: "read" | "run";
  /** The entry that stops the user: an ancestor, the path itself, or an entry in its tree. */
  readonly blocker: string;
  /** `"/root is mode 0700, owned by root"` or `"it is mode 0600, owned by root"`. */
  readonly why: string;
}

/** Told of every directory a check stats (ancestors, the path, and those in its tree). */
export type DirectoryVisitor = (path: string, info: Deno.FileInfo) => void;

const READ = 4;
const EXEC = 1;

/**
 * The first needed path `user` cannot reach by the file modes: every ancestor of its
 * canonical path must let the user search it (x), a file to read must be readable, a
 * directory readable and searchable, a program executable. The owner's bits apply to the
 * owner, the group's to members of the group (supplementary groups included), the rest to
 * everyone else, as the kernel decides. ACLs are not read. A path that does not exist is
 * skipped: its own check reports it. Root reaches everything.
 */
export function findUnreachable(
  needed: readonly NeededPath[],
  user: SystemUser,
  names?: AccountNames,
): Unreachable | undefined {
  return firstUnreachable(needed, user, { ...(names ? { names } : {}) });
}

function firstUnreachable(
  needed: readonly NeededPath[],
  user: SystemUser,
  options: { names?: AccountNames | undefined; onDirectory?: DirectoryVisitor | undefined },
): Unreachable | undefined {
  const { names } = options;
  const visit: DirectoryVisitor = options.onDirectory ?? (() => {});
  if (user.uid === 0) return undefined;
  for (const entry of needed) {
    let real: string;
    try {
      real = Deno.realPathSync(entry.path);
    } catch {
      continue;
    }
    const blocked = blockedAt(real, entry, user, visit);
    if (blocked) {
      const { blocker, info, ancestor } = blocked;
      const why = `${ancestor ? blocker : "it"} is mode ${modeText(info)}, ` +
        `owned by ${ownerText(info, names)}`;
      return { path: entry.path, access: entry.access, blocker, why };
    }
  }
  return undefined;
}

/**
 * Throws when `user` cannot reach a needed path, naming the path, the user and what
 * stops them: `Plugin "local" cannot run as alice: alice cannot read /root/plugins/local
 * (/root is mode 0700, owned by root)`.
 */
export function assertReachable(
  needed: readonly NeededPath[],
  user: SystemUser,
  options: { plugin: string; names?: AccountNames; onDirectory?: DirectoryVisitor },
): void {
  const found = firstUnreachable(needed, user, options);
  if (found) throw new Error(unreachableMessage(options.plugin, user, found));
}

/** The sentence for one unreachable path (also what `launchbox check --user` prints). */
export function unreachableMessage(plugin: string, user: SystemUser, found: Unreachable): string {
  const verb = found.access === "run" ? "run" : "read";
  const inside = found.blocker.startsWith(`${found.path}/`) ? `${found.blocker} in ` : "";
  return `Plugin "${plugin}" cannot run as ${user.name}: ${user.name} cannot ${verb} ` +
    `${inside}${found.path} (${found.why})`;
}

type Blocked = { blocker: string; info: Deno.FileInfo; ancestor: boolean };

function blockedAt(
  real: string,
  entry: NeededPath,
  user: SystemUser,
  visit: DirectoryVisitor,
): Blocked | undefined {
  for (const dir of ancestors(real)) {
    const info = Deno.statSync(dir);
    visit(dir, info);
    if (!allows(info, user, EXEC)) return { blocker: dir, info, ancestor: true };
  }
  const info = Deno.statSync(real);
  if (info.isDirectory) visit(real, info);
  const wanted = entry.access === "run" ? EXEC : info.isDirectory ? READ | EXEC : READ;
  if (!allows(info, user, wanted)) {
    return { blocker: real === entry.path ? entry.path : real, info, ancestor: false };
  }
  if (entry.tree && info.isDirectory) return walk(real, user, visit);
  return undefined;
}

/** The first entry under `dir` the user cannot read (directories: read and search). */
function walk(dir: string, user: SystemUser, visit: DirectoryVisitor): Blocked | undefined {
  for (const child of Deno.readDirSync(dir)) {
    const path = `${dir}/${child.name}`;
    if (child.isSymlink) {
      let target: string;
      try {
        target = Deno.realPathSync(path);
      } catch {
        continue; // dangling: nothing to load
      }
      const blocked = blockedAt(target, { path: target, access: "read" }, user, visit);
      if (blocked) return blocked;
      continue;
    }
    const info = Deno.lstatSync(path);
    const wanted = info.isDirectory ? READ | EXEC : READ;
    if (info.isDirectory) visit(path, info);
    if (!allows(info, user, wanted)) return { blocker: path, info, ancestor: false };
    if (info.isDirectory) {
      const inner = walk(path, user, visit);
      if (inner) return inner;
    }
  }
  return undefined;
}

/** Whether the mode bits that apply to `user` hold every bit of `wanted`. */
function allows(info: Deno.FileInfo, user: SystemUser, wanted: number): boolean {
  const mode = info.mode ?? 0;
  const member = info.gid === user.gid || user.groups.includes(info.gid ?? -1);
  const shift = info.uid === user.uid ? 6 : member ? 3 : 0;
  return ((mode >> shift) & wanted) === wanted;
}

function modeText(info: Deno.FileInfo): string {
  return `0${((info.mode ?? 0) & 0o7777).toString(8).padStart(3, "0")}`;
}

/** `root`, or `root, group staff` when the group's bits differ from everyone else's. */
function ownerText(info: Deno.FileInfo, names: AccountNames | undefined): string {
  const uid = info.uid ?? -1;
  const gid = info.gid ?? -1;
  const owner = names?.userNameOf(uid) ?? `uid ${uid}`;
  const mode = info.mode ?? 0;
  if (((mode >> 3) & 7) === (mode & 7)) return owner;
  return `${owner}, group ${names?.groupNameOf(gid) ?? gid}`;
}
