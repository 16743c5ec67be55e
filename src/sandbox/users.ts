import { accountNameProblem } from "./account_name.ts";

/** A system account, as the runner needs it to start as that user. */
export interface SystemUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
  /** Name of the primary group. */
  group: string;
  /** Supplementary group IDs (the primary one included). */
  groups: number[];
}

/** Reads accounts from passwd/group files (paths overridable for tests). */
export class UserDirectory {
  readonly #passwd: string;
  readonly #group: string;
  #cache: { users: Map<string, SystemUser>; groupNames: Map<number, string> } | undefined;
  /** The files' modification times and sizes when they were read. */
  #stamp = "";

  constructor(files: { passwd?: string; group?: string } = {}) {
    this.#passwd = files.passwd ?? "/etc/passwd";
    this.#group = files.group ?? "/etc/group";
  }

  /**
   * The account named `name`, or `undefined` when there is none. A miss re-reads the files
   * when either changed since they were read (a user added meanwhile), not otherwise: a
   * host asked about a user with no account (every submit of one) reads them once. A name
   * that is not an account name (all digits, say: never a uid) has no account.
   */
  lookup(name: string): SystemUser | undefined {
    if (accountNameProblem(name)) return undefined;
    const found = this.#load().users.get(name);
    if (found) return found;
    if (this.#stampNow() === this.#stamp) return undefined;
    this.#cache = undefined;
    return this.#load().users.get(name);
  }

  /** The first account with this uid (as `id -un` picks it), or `undefined`. */
  byUid(uid: number): SystemUser | undefined {
    for (const user of this.#load().users.values()) if (user.uid === uid) return user;
    return undefined;
  }

  /** The name of the account with this uid (the first in passwd), for messages. */
  userNameOf(uid: number): string | undefined {
    return this.byUid(uid)?.name;
  }

  /** The name of the group with this gid, for messages. */
  groupNameOf(gid: number): string | undefined {
    return this.#load().groupNames.get(gid);
  }

  /** Names of the groups `name` belongs to (primary first); none for an unknown user. */
  groupNamesOf(name: string): string[] {
    const user = this.lookup(name);
    if (!user) return [];
    const names = this.#load().groupNames;
    return user.groups.map((gid) => names.get(gid) ?? String(gid));
  }

  #load(): { users: Map<string, SystemUser>; groupNames: Map<number, string> } {
    if (this.#cache) return this.#cache;
    this.#stamp = this.#stampNow();
    const groups = parseGroups(readOrEmpty(this.#group));
    const users = new Map<string, SystemUser>();
    for (const line of readOrEmpty(this.#passwd).split("\n")) {
      const [name, , uid, gid, , home] = line.split(":");
      if (!name || uid === undefined || gid === undefined || name.startsWith("#")) continue;
      if (accountNameProblem(name)) continue;
      const primary = Number(gid);
      const extra = groups.members.get(name) ?? [];
      users.set(name, {
        name,
        uid: Number(uid),
        gid: primary,
        home: home ?? "/",
        group: groups.names.get(primary) ?? String(primary),
        groups: [...new Set([primary, ...extra])],
      });
    }
    this.#cache = { users, groupNames: groups.names };
    return this.#cache;
  }

  #stampNow(): string {
    return [this.#passwd, this.#group].map(stampOf).join(" ");
  }
}

function stampOf(path: string): string {
  try {
    const info = Deno.statSync(path);
    return `${info.mtime?.getTime()}:${info.size}:${info.ino}`;
  } catch {
    return "missing";
  }
}

function parseGroups(text: string): { names: Map<number, string>; members: Map<string, number[]> } {
  const names = new Map<number, string>();
  const members = new Map<string, number[]>();
  for (const line of text.split("\n")) {
    const [name, , gid, list] = line.split(":");
    if (!name || gid === undefined || name.startsWith("#")) continue;
    names.set(Number(gid), name);
    for (const member of (list ?? "").split(",").filter(Boolean)) {
      members.set(member, [...(members.get(member) ?? []), Number(gid)]);
    }
  }
  return { names, members };
}

function readOrEmpty(path: string): string {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return "";
  }
}
