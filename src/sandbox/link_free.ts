/**
 * Throws `RangeError` when `path` or a directory between `root` and it is a link. The
 * host creates, chmods and chowns instance directories as root; a link left where one
 * should be (by a program an instance ran) would carry those changes into another tree.
 * Components that do not exist yet are fine: the host creates them. Synchronous: a few
 * `lstat`s, each of which would otherwise be a trip through Deno's blocking thread pool.
 */
export function refuseLinksBelow(root: string, path: string): void {
  const rest = path.slice(root.length).split("/").filter(Boolean);
  let current = root;
  for (const name of rest) {
    current = `${current}/${name}`;
    let info: Deno.FileInfo;
    try {
      info = Deno.lstatSync(current);
    } catch {
      return;
    }
    if (info.isSymlink) {
      throw new RangeError(
        `Cannot prepare instance directory "${path}": "${current}" is a link, not a directory`,
      );
    }
  }
}
