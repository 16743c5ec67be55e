/** What the lock file of a background client host records about it. */
export interface HostRecord {
  readonly pid: number;
  readonly plugin: string;
  /** The options it was started with, when given (compared with a later command's). */
  readonly pluginsDir?: string;
  readonly configFile?: string;
  readonly startedAt: string;
}

/**
 * Takes the lock that makes one background host per scratch path: creates `path`
 * exclusively (0600) holding `record`, complete from the first moment it exists (written
 * beside it, then hard-linked: a reader never sees it half-written). A lock whose process is gone is stale and taken
 * over. Resolves `undefined` when taken, else the record of the live holder.
 */
export function acquireHostLock(path: string, record: HostRecord): HostRecord | undefined {
  for (let attempt = 0; attempt < 2; attempt++) {
    if (createWith(path, JSON.stringify(record) + "\n")) return undefined;
    const holder = readHostLock(path);
    if (holder) return holder;
  }
  throw new Error(`Cannot take the host lock ${path}: another process keeps re-creating it`);
}

/**
 * The record of the live host holding the lock at `path`, or `undefined` when there is
 * none. A lock left by a process that is gone (or unreadable) is removed.
 */
export function readHostLock(path: string): HostRecord | undefined {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  const record = parseRecord(text);
  if (record && isAlive(record.pid)) return record;
  Deno.removeSync(path);
  return undefined;
}

/** Removes the lock when it is still `pid`'s (a successor's lock stays). */
export function releaseHostLock(path: string, pid: number): void {
  try {
    if (parseRecord(Deno.readTextFileSync(path))?.pid === pid) Deno.removeSync(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

/**
 * Whether a process with this pid runs: signal 0 delivers nothing but says whether it
 * exists; a zombie (exited, not yet reaped, e.g. under a container init that never reaps)
 * does not count.
 */
export function isAlive(pid: number): boolean {
  try {
    Deno.kill(pid, 0 as unknown as Deno.Signal);
    return !isZombie(pid);
  } catch (error) {
    // Another user's process: it exists, we may not signal it.
    return error instanceof Deno.errors.PermissionDenied;
  }
}

/** Linux only (elsewhere: false): the state field of /proc/<pid>/stat is "Z". */
function isZombie(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return false;
  }
}

/** Creates `path` with `text` unless it exists; false when it does. */
function createWith(path: string, text: string): boolean {
  const draft = `${path}.${Deno.pid}`;
  Deno.writeTextFileSync(draft, text, { mode: 0o600 });
  try {
    Deno.linkSync(draft, path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) return false;
    throw error;
  } finally {
    Deno.removeSync(draft);
  }
}

function parseRecord(text: string): HostRecord | undefined {
  try {
    const record = JSON.parse(text) as HostRecord;
    return Number.isSafeInteger(record.pid) && record.pid > 0 ? record : undefined;
  } catch {
    return undefined; // not a lock this program wrote
  }
}
