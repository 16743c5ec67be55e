import { normalizeAbsolute } from "./entry_path.ts";

/**
 * Why someone other than root or the host's user could swap `path` for a link after it
 * was checked, or `undefined` when they cannot: the path and every directory above it
 * (as written, so the links along it are covered too) must be owned by root or the host's
 * user and not writable by group or others. Directories above may be sticky (`/tmp`):
 * there nobody can rename or remove what another user owns. Missing components are
 * skipped; whoever creates them later needs write access to the existing parent.
 */
export function swappableBy(path: string): string | undefined {
  const parts = normalizeAbsolute(path).split("/").filter(Boolean);
  let current = "";
  const chain = ["/", ...parts.map((part) => current += `/${part}`)];
  for (const [index, step] of chain.entries()) {
    let info: Deno.FileInfo;
    try {
      info = Deno.lstatSync(step);
    } catch {
      return undefined;
    }
    const owner = info.uid ?? 0;
    if (owner !== 0 && owner !== Deno.uid()) {
      return `"${step}" is owned by uid ${owner}, who could swap it after the check`;
    }
    const mode = (info.mode ?? 0) & 0o7777;
    const last = index === chain.length - 1;
    const sticky = info.isDirectory && (mode & 0o1000) !== 0 && !last;
    if (!info.isSymlink && (mode & 0o022) !== 0 && !sticky) {
      return `"${step}" is writable by group or others (mode ${
        (mode & 0o777).toString(8)
      }), who could swap it after the check`;
    }
  }
  return undefined;
}
