import { REACHABILITY_CACHE_MAX_ENTRIES } from "./constants.ts";
import { type AccountNames, assertReachable, type NeededPath } from "./reachability.ts";
import type { SystemUser } from "./users.ts";

/** A passed check: what it saw, so that a change shows it is out of date. */
interface Verdict {
  /** The canonical path of each needed path, `""` for one that did not exist. */
  readonly real: readonly string[];
  /** Every directory the check stat'ed, with its stamp (see `stampOf`). */
  readonly directories: ReadonlyMap<string, string>;
}

/**
 * Remembers that a user reaches a set of needed paths, so that a runner start need not
 * walk the source tree again. A verdict holds until a directory the check read changes
 * mode, owner or mtime (an entry added, removed or renamed), or a needed path resolves
 * elsewhere; then the paths are checked again. Only passes are remembered: a refusal is
 * checked afresh each time, so a fix is seen at once. A file's own chmod inside an
 * unchanged directory is not seen (it does not touch the directory).
 */
export class ReachabilityCache {
  readonly #verdicts = new Map<string, Verdict>();
  readonly #maxEntries: number;

  constructor(maxEntries: number = REACHABILITY_CACHE_MAX_ENTRIES) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`Reachability cache size must be a positive integer, got ${maxEntries}`);
    }
    this.#maxEntries = maxEntries;
  }

  /** Verdicts held. */
  get size(): number {
    return this.#verdicts.size;
  }

  /** `assertReachable`, answered from a verdict that still holds when there is one. */
  assertReachable(
    needed: readonly NeededPath[],
    user: SystemUser,
    options: { plugin: string; names?: AccountNames },
  ): void {
    const key = keyOf(needed, user);
    const real = needed.map((entry) => canonicalOrMissing(entry.path));
    const known = this.#verdicts.get(key);
    if (known && sameItems(known.real, real) && unchanged(known.directories)) return;
    this.#verdicts.delete(key);
    const directories = new Map<string, string>();
    const onDirectory = (path: string, info: Deno.FileInfo) => directories.set(path, stampOf(info));
    assertReachable(needed, user, { ...options, onDirectory });
    if (this.#verdicts.size >= this.#maxEntries) {
      this.#verdicts.delete(this.#verdicts.keys().next().value!);
    }
    this.#verdicts.set(key, { real, directories });
  }
}

/** The user's ids and groups with the needed paths, in order. */
function keyOf(needed: readonly NeededPath[], user: SystemUser): string {
  const groups = [...user.groups].sort((a, b) => a - b);
  const paths = needed.map(({ path, access, tree }) => [path, access, tree === true]);
  return JSON.stringify([user.uid, user.gid, groups, paths]);
}

/** Identity, mode, owner and both change times: any chmod, chown or entry change alters it. */
function stampOf(info: Deno.FileInfo): string {
  const times = [info.mtime?.getTime(), info.ctime?.getTime()];
  return [info.dev, info.ino, info.mode, info.uid, info.gid, ...times].join(":");
}

function unchanged(directories: ReadonlyMap<string, string>): boolean {
  for (const [path, stamp] of directories) {
    try {
      if (stampOf(Deno.statSync(path)) !== stamp) return false;
    } catch {
      return false;
    }
  }
  return true;
}

function canonicalOrMissing(path: string): string {
  try {
    return Deno.realPathSync(path);
  } catch {
    return "";
  }
}

function sameItems(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}
