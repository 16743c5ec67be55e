import { refuseLinksBelow } from "./link_free.ts";
import type { SystemUser } from "./users.ts";

/**
 * Creates an instance's private directory under `root` (the root of all instance
 * directories), the directory itself 0700 and owned by the runner's user.
 *
 * When the runner runs as another user (`owner`), the parents up to `root` are 0711 so
 * that user can reach it without listing anyone else's, and the scratch path above `root`
 * gains the execute bit for others for the same reason. When the runner runs as the host's
 * own uid, nobody else needs to reach it, so the parents up to `root` are 0700: a plugin
 * may loosen its own directory's mode (it may write there), but nothing it makes there
 * (a setuid copy of a shell, say) can be reached by another user through a closed parent.
 * With `othersCross` (a `run_as: session-user` plugin, whose other instances run as other
 * users under the same parents) the parents stay 0711 for them even then.
 * Throws `RangeError` when `dir` is not inside `root`. The file-system calls are
 * synchronous (a handful of syscalls), not one trip through Deno's blocking thread pool each,
 * which a loaded machine turns into a scheduling delay apiece on a task's start.
 */
export async function prepareInstanceDir(
  root: string,
  dir: string,
  owner?: SystemUser,
  { othersCross = false }: { othersCross?: boolean } = {},
): Promise<void> {
  if (!dir.startsWith(`${root}/`)) {
    throw new RangeError(`Cannot prepare instance directory "${dir}": it is not inside "${root}"`);
  }
  refuseLinksBelow(root, dir);
  Deno.mkdirSync(dir, { recursive: true, mode: 0o711 });
  const parentMode = owner || othersCross ? 0o711 : 0o700;
  for (let parent = dir; parent.startsWith(root); parent = dirname(parent)) {
    Deno.chmodSync(parent, parent === dir ? 0o700 : parentMode);
  }
  if (!owner) return;
  Deno.chownSync(dir, owner.uid, owner.gid);
  const scratch = dirname(root);
  const mode = Deno.statSync(scratch).mode ?? 0o700;
  if ((mode & 0o001) === 0) Deno.chmodSync(scratch, (mode & 0o777) | 0o011);
}

/**
 * Narrows the scratch path above `root` to the host's alone (no group or other bits) for a
 * plugin whose runners all have the host's uid (`run_as: host`): nobody else needs to
 * reach anything there, whatever mode the path was made with. A symlink is left alone
 * (lstat): it was the administrator's choice, and chmod would follow it.
 */
export function closeHostScratch(root: string): void {
  const scratch = dirname(root);
  const info = Deno.lstatSync(scratch);
  const mode = (info.mode ?? 0) & 0o7777;
  if (info.isDirectory && (mode & 0o077) !== 0) Deno.chmodSync(scratch, mode & 0o7700);
}

function dirname(path: string): string {
  return path.slice(0, path.lastIndexOf("/")) || "/";
}
