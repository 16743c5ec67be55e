/** `/`, `/a`, `/a/b` for `/a/b/c`: the directories searched to reach a canonical path. */
export function ancestors(path: string): string[] {
  const out: string[] = [];
  for (let dir = path; dir.lastIndexOf("/") > 0;) {
    dir = dir.slice(0, dir.lastIndexOf("/"));
    out.push(dir);
  }
  out.push("/");
  return out.reverse();
}
