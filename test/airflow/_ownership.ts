/**
 * Airflow's `_is_connection_from_process`: an accepted connection counts only when its peer
 * socket belongs to the launched process or one of its descendants. psutil reads `/proc`;
 * Deno allows `/proc` only with `--allow-all`, so this asks `ss` and `ps` instead.
 * "foreign" means the socket was seen held by other processes only; `undefined` means it
 * could not be told (no `ss`/`ps`, or the connection was gone before it was seen).
 */
export async function connectionOwner(
  conn: Deno.Conn,
  rootPid: number,
): Promise<"owned" | "foreign" | undefined> {
  const peer = conn.remoteAddr as Deno.NetAddr;
  const local = conn.localAddr as Deno.NetAddr;
  let seenForeign = false;
  // Airflow retries for up to 1 s while the process table catches up.
  for (let attempt = 0; attempt < 20; attempt++) {
    const [owners, tree] = await Promise.all([
      socketOwners(`${peer.hostname}:${peer.port}`, `${local.hostname}:${local.port}`),
      processTree(rootPid),
    ]);
    if (owners === undefined || tree === undefined) return undefined;
    if (owners.some((pid) => tree.has(pid))) return "owned";
    seenForeign ||= owners.length > 0;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return seenForeign ? "foreign" : undefined;
}

/** The PIDs holding the socket `local` → `remote`, from `ss -tnpH`. */
async function socketOwners(local: string, remote: string): Promise<number[] | undefined> {
  const table = await output("ss", ["-tnpH"]);
  if (table === undefined) return undefined;
  for (const line of table.split("\n")) {
    const fields = line.trim().split(/\s+/);
    if (fields[3] === local && fields[4] === remote) {
      return [...line.matchAll(/pid=(\d+)/g)].map((match) => Number(match[1]));
    }
  }
  return [];
}

/** `root` and every descendant, from `ps -eo pid=,ppid=`. */
async function processTree(root: number): Promise<Set<number> | undefined> {
  const table = await output("ps", ["-eo", "pid=,ppid="]);
  if (table === undefined) return undefined;
  const children = new Map<number, number[]>();
  for (const line of table.split("\n")) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    if (pid && ppid !== undefined) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const tree = new Set([root]);
  for (const pid of tree) for (const child of children.get(pid) ?? []) tree.add(child);
  return tree;
}

async function output(command: string, args: string[]): Promise<string | undefined> {
  try {
    const result = await new Deno.Command(command, { args, stdin: "null", stderr: "null" })
      .output();
    return result.success ? new TextDecoder().decode(result.stdout) : undefined;
  } catch {
    return undefined;
  }
}
