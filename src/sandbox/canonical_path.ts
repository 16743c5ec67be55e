import { normalizeAbsolute } from "./entry_path.ts";

/** How many links one path may pass through, as the kernel's own limit (ELOOP). */
const MAX_LINKS = 40;

/**
 * The canonical form of an absolute path: every link resolved (realpath). For a path
 * that does not exist yet, the nearest existing ancestor is resolved and the rest is
 * appended; a dangling link is followed to where it points. Grants are made of canonical
 * paths because Deno compares permission paths as strings and opens whatever a link in a
 * granted folder points at. A relative path (only `check`'s example `<scratch>`) is
 * returned as it is.
 */
export function canonicalPath(path: string): string {
  if (!path.startsWith("/")) return path;
  return resolve(normalizeAbsolute(path), 0);
}

function resolve(path: string, links: number): string {
  if (links > MAX_LINKS) {
    throw new RangeError(`Cannot resolve "${path}": more than ${MAX_LINKS} links`);
  }
  try {
    return Deno.realPathSync(path);
  } catch {
    // Missing (or a dangling link, or not reachable): resolve what exists.
  }
  if (path === "/") return "/";
  const cut = path.lastIndexOf("/");
  const parent = resolve(path.slice(0, cut) || "/", links);
  const name = path.slice(cut + 1);
  const joined = parent === "/" ? `/${name}` : `${parent}/${name}`;
  let target: string;
  try {
    target = Deno.readLinkSync(joined);
  } catch {
    return normalizeAbsolute(joined);
  }
  const absolute = target.startsWith("/") ? target : `${parent}/${target}`;
  return resolve(lexical(absolute), links + 1);
}

/** Resolves `..` segments as text (used only on a link target whose parent is canonical). */
function lexical(path: string): string {
  const out: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") out.pop();
    else out.push(segment);
  }
  return `/${out.join("/")}`;
}
