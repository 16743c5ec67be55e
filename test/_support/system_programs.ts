/**
 * Where a system program is, for tests that run one (`useradd`, `runuser`, `slurmd`, …):
 * the directories of `PATH`, then the sbin directories a minimal `PATH`
 * (`/usr/local/bin:/usr/bin:/bin`, as `env -i` or a cron job gives) leaves out.
 */
const SBIN_DIRS = ["/usr/local/sbin", "/usr/sbin", "/sbin"];

/** The absolute path of `name` (searched as above), or `undefined` when there is none. */
export function findSystemProgram(name: string): string | undefined {
  const path = (Deno.env.get("PATH") ?? "").split(":").filter((dir) => dir.startsWith("/"));
  for (const dir of [...path, ...SBIN_DIRS]) {
    try {
      const info = Deno.statSync(`${dir}/${name}`);
      if (info.isFile && ((info.mode ?? 0) & 0o111) !== 0) return `${dir}/${name}`;
    } catch {
      // Not in this directory.
    }
  }
  return undefined;
}

/** The absolute path of `name`; throws naming the directories searched when it is missing. */
export function systemProgram(name: string): string {
  const found = findSystemProgram(name);
  if (found) return found;
  throw new Error(
    `Cannot find the program "${name}" in PATH or ${SBIN_DIRS.join(":")}`,
  );
}
