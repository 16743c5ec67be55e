import { isHostUser } from "./host_user.ts";
import { ancestors } from "./path_ancestors.ts";
import type { SystemUser } from "./users.ts";

/**
 * The first path among `roots` (each a file or a whole tree), their ancestors up to `/`,
 * and the targets of symlinks in them, that `user` could change: owned by the user, or
 * group- or other-writable where the user's groups apply. A directory with the sticky bit
 * (such as `/tmp`) only lets its writers replace their own entries, so it counts for
 * entries the user owns. Returns the path and why, or `undefined` when there is none.
 */
export function findWritable(roots: readonly string[], user: SystemUser): string | undefined {
  for (const root of roots) {
    let real: string;
    try {
      real = Deno.realPathSync(root);
    } catch {
      continue; // Not there: nothing to load from it.
    }
    const found = ancestors(real).map((dir) => check(dir, user)).find(Boolean) ??
      walk(real, user);
    if (found) return found;
  }
  return undefined;
}

/**
 * Why a runner started as `user` would load code that user, jobs included, could rewrite
 * (see {@linkcode findWritable}), as the message that refuses it, or `undefined`. A user
 * with the host's own uid (root's jobs under a root host) passes: that user may change
 * the host itself, so the runner's code is no further reach.
 */
export function runnerCodeProblem(
  roots: readonly string[],
  user: SystemUser,
  plugin: string,
): string | undefined {
  if (isHostUser(user)) return undefined;
  const found = findWritable(roots, user);
  if (found === undefined) return undefined;
  return `Cannot start plugin "${plugin}" as "${user.name}": the runner loads ${found}; make it ` +
    `owned by the server's user and not writable by others`;
}

/** Throws the {@linkcode runnerCodeProblem} when there is one. */
export function assertNotWritable(
  roots: readonly string[],
  user: SystemUser,
  plugin: string,
): void {
  const problem = runnerCodeProblem(roots, user, plugin);
  if (problem !== undefined) throw new Error(problem);
}

function walk(path: string, user: SystemUser): string | undefined {
  const problem = check(path, user);
  if (problem) return problem;
  const info = Deno.lstatSync(path);
  if (info.isSymlink) {
    // The target and its ancestors, not its tree: a link back up must not loop.
    const target = Deno.realPathSync(path);
    return [...ancestors(target), target].map((dir) => check(dir, user)).find(Boolean);
  }
  if (!info.isDirectory) return undefined;
  for (const entry of Deno.readDirSync(path)) {
    const found = walk(`${path}/${entry.name}`, user);
    if (found) return found;
  }
  return undefined;
}

function check(path: string, user: SystemUser): string | undefined {
  const info = Deno.lstatSync(path);
  if (info.isSymlink) return undefined; // Its target is checked where it is followed.
  const mode = info.mode ?? 0;
  const describe = (why: string) =>
    `"${path}", which "${user.name}" can write (${why}, mode ${(mode & 0o7777).toString(8)})`;
  if (info.uid === user.uid) return describe(`owned by uid ${user.uid}`);
  const sticky = info.isDirectory && (mode & 0o1000) !== 0;
  if (sticky) return undefined;
  const inGroup = info.gid === user.gid || user.groups.includes(info.gid ?? -1);
  if (inGroup && (mode & 0o020) !== 0) return describe(`group ${info.gid} may write`);
  if ((mode & 0o002) !== 0) return describe("anyone may write");
  return undefined;
}
