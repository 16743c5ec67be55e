const ROOT = new URL("../../", import.meta.url).pathname;

/** The modules a runner loads under `deno run`, besides the plugin's own entry. */
export const RUNNER_MODULES = [
  `${ROOT}src/sandbox/runner_main.ts`,
  `${ROOT}src/sandbox/worker_entry.ts`,
];

/** Names the entries a cache was filled for (Deno ignores files it does not know). */
const STAMP = "launchbox-entries.json";

/**
 * Fills the Deno cache (`DENO_DIR`) that runners started as other users read under
 * `deno run`: the host, before any runner drops privileges, runs `deno cache` on the
 * runner's modules and the plugin's entry, then makes the whole tree owned by the host's
 * user with no group or other write bit (dirs 0755, files 0644). A runner whose cache it
 * cannot write transpiles what is missing in memory and writes nothing (Deno 2.9.6), so
 * nothing it loads can be changed by its user or its plugin. The cache holds Launchbox's
 * runner modules and these entries only: one filled for other entries (another plugin's,
 * whose code a user's runner could otherwise read) is emptied first.
 */
export async function prepareRunnerCache(dir: string, entries: readonly string[]): Promise<void> {
  await Deno.mkdir(dir, { recursive: true, mode: 0o755 });
  const stamp = JSON.stringify([...entries].sort());
  await emptyUnlessFilledFor(dir, stamp);
  // The compiled binary has nothing to cache (built with --no-code-cache); its runners get
  // the empty, sealed directory all the same, so nothing lands in the user's own cache.
  if (Deno.build.standalone) return await seal(dir);
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["cache", "--quiet", "--config", `${ROOT}deno.json`, ...RUNNER_MODULES, ...entries],
    env: { DENO_DIR: dir, NO_COLOR: "1" },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!output.success) {
    const reason = new TextDecoder().decode(output.stderr).trim().split("\n").at(-1);
    throw new Error(
      `Cannot prepare the runners' Deno cache "${dir}": deno cache failed: ${reason}`,
    );
  }
  await Deno.writeTextFile(`${dir}/${STAMP}`, stamp);
  await seal(dir);
}

async function emptyUnlessFilledFor(dir: string, stamp: string): Promise<void> {
  const had = await Deno.readTextFile(`${dir}/${STAMP}`).catch(() => undefined);
  if (had === stamp) return;
  for await (const entry of Deno.readDir(dir)) {
    await Deno.remove(`${dir}/${entry.name}`, { recursive: true });
  }
}

/** Owned by this process's user, no group or other write bit, recursively. */
async function seal(path: string): Promise<void> {
  const info = await Deno.lstat(path);
  if (info.isSymlink) return await Deno.remove(path);
  const uid = Deno.uid()!;
  if (info.uid !== uid) await Deno.chown(path, uid, Deno.gid());
  await Deno.chmod(path, info.isDirectory ? 0o755 : 0o644);
  if (!info.isDirectory) return;
  for await (const entry of Deno.readDir(path)) await seal(`${path}/${entry.name}`);
}
