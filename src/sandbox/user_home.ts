import { canonicalPath } from "./canonical_path.ts";
import type { SystemUser } from "./users.ts";

/**
 * The canonical home of the job's user, for `${user_home}` grants. Throws `RangeError`
 * naming the plugin, the user and the reason when the home is `/` (a grant of it would be
 * the whole file system), missing, not a directory, or not owned by that user (then it is
 * someone else's files, like `/usr/sbin` for `daemon`).
 */
export function checkedUserHome(plugin: string, user: SystemUser): string {
  const refuse = (why: string): never => {
    throw new RangeError(
      `Cannot grant plugin "${plugin}" \${user_home} for user "${user.name}": ${why}`,
    );
  };
  if (!user.home.startsWith("/")) refuse(`the home "${user.home}" is not an absolute path`);
  const home = canonicalPath(user.home);
  if (home === "/") refuse(`the home "${user.home}" is the root directory`);
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(home);
  } catch {
    return refuse(`the home "${user.home}" does not exist`);
  }
  if (!info.isDirectory) refuse(`the home "${user.home}" is not a directory`);
  if (info.uid !== user.uid) {
    refuse(`the home "${home}" is owned by uid ${info.uid}, not by the user (uid ${user.uid})`);
  }
  return home;
}

/** Whether a manifest grants anything under `${user_home}`. */
export function usesUserHome(entries: Iterable<string>): boolean {
  for (const entry of entries) if (entry.startsWith("${user_home}")) return true;
  return false;
}
