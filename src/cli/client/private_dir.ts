import { UsageError } from "../usage_error.ts";

const PLUGIN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * The client's scratch path for `plugin` when `--scratch-path` is not given, outside every
 * home directory (a bundled plugin may be granted `${user_home}`, and the host refuses a
 * grant that holds its scratch path): `/var/lib/launchbox/client/<plugin>` for root,
 * `/var/tmp/launchbox-<uid>/<plugin>` for anyone else. Creates it (0700) and checks every
 * directory it created or found there is ours (see {@linkcode ensureOwnedDirectory}).
 */
export function defaultScratch(plugin: string): string {
  const chain = defaultScratchChain(plugin);
  for (const path of chain) ensureOwnedDirectory(path);
  return chain.at(-1)!;
}

/** The directories of {@linkcode defaultScratch}, outermost first (nothing is created). */
export function defaultScratchChain(plugin: string): string[] {
  if (!PLUGIN_NAME.test(plugin)) {
    throw new UsageError(`--plugin-name must be a plugin name such as "local", got "${plugin}"`);
  }
  const uid = Deno.uid() ?? 0;
  return uid === 0
    ? ["/var/lib/launchbox", "/var/lib/launchbox/client", `/var/lib/launchbox/client/${plugin}`]
    : [`/var/tmp/launchbox-${uid}`, `/var/tmp/launchbox-${uid}/${plugin}`];
}

/**
 * Creates `path` with mode 0700 when missing; otherwise refuses it unless it is a real
 * directory (checked with lstat, so a symlink is refused, not followed) owned by this
 * process's uid. Under a world-writable parent such as /var/tmp this keeps another user
 * from handing us a directory or link of theirs.
 */
export function ensureOwnedDirectory(path: string): void {
  try {
    Deno.mkdirSync(path, { mode: 0o700 });
  } catch (error) {
    if (!(error instanceof Deno.errors.AlreadyExists)) {
      throw new Error(`Cannot create directory ${path}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  const info = Deno.lstatSync(path);
  if (info.isSymlink) throw new Error(`Refusing ${path}: it is a symlink, not a directory`);
  if (!info.isDirectory) throw new Error(`Refusing ${path}: it is not a directory`);
  const uid = Deno.uid();
  if (uid !== null && info.uid !== uid) {
    throw new Error(`Refusing ${path}: it is owned by uid ${info.uid}, not by us (uid ${uid})`);
  }
}
