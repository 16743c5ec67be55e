/**
 * User profiles (`launcher.<name>.profiles.conf`), as the Launcher's own plugins read them:
 * `[*]` for everyone, `[@group]` for a group's members, `[user]` for one user; within each,
 * `key=value` lines. For a user, `[*]` applies first, then the group sections they belong
 * to in file order, then their own section; a later value wins.
 *
 * @module
 */

/** The keys a profile may set, with the resource limit type each one bounds. */
export const PROFILE_KEYS = {
  "max-cpus": { limit: "cpuCount", kind: "max" },
  "default-cpus": { limit: "cpuCount", kind: "default" },
  "max-mem-mb": { limit: "memory", kind: "max" },
  "default-mem-mb": { limit: "memory", kind: "default" },
} as const;

/** A key of {@linkcode PROFILE_KEYS}. */
export type ProfileKey = keyof typeof PROFILE_KEYS;

/** What applies to one user: values by key, and where each came from. */
export interface ResolvedProfile {
  values: Partial<Record<ProfileKey, number>>;
  /** `<file> [section]` for each key, for error messages. */
  sources: Partial<Record<ProfileKey, string>>;
}

interface Section {
  /** `*`, `@group` or a user name. */
  target: string;
  values: Partial<Record<ProfileKey, number>>;
}

/** A parsed profiles file. An empty one (or none) sets nothing. */
export class UserProfiles {
  readonly file: string | undefined;
  readonly #sections: Section[];

  private constructor(file: string | undefined, sections: Section[]) {
    this.file = file;
    this.#sections = sections;
  }

  /** No profiles: every user gets what the plugin offers. */
  static none(): UserProfiles {
    return new UserProfiles(undefined, []);
  }

  /** Parses a profiles file; throws a `RangeError` naming the file, line and what is wrong. */
  static parse(text: string, file: string): UserProfiles {
    const sections: Section[] = [];
    let current: Section | undefined;
    text.split(/\r?\n/).forEach((raw, index) => {
      const line = raw.trim();
      const where = `${file} line ${index + 1}`;
      if (line === "" || line.startsWith("#")) return;
      const header = /^\[(.+)\]$/.exec(line);
      if (header) {
        const target = header[1]!.trim();
        if (target === "" || target === "@") throw new RangeError(`${where}: empty section name`);
        current = { target, values: {} };
        sections.push(current);
        return;
      }
      const eq = line.indexOf("=");
      if (eq <= 0) throw new RangeError(`${where}: expected key=value or [section], got "${line}"`);
      if (!current) throw new RangeError(`${where}: "${line}" comes before any [section]`);
      const key = line.slice(0, eq).trim();
      const text = line.slice(eq + 1).trim();
      if (!Object.hasOwn(PROFILE_KEYS, key)) {
        const known = Object.keys(PROFILE_KEYS).join(", ");
        throw new RangeError(`${where}: unknown key "${key}" (known: ${known})`);
      }
      const value = Number(text);
      if (text === "" || !Number.isFinite(value) || value <= 0) {
        throw new RangeError(`${where}: ${key} must be a positive number, got "${text}"`);
      }
      current.values[key as ProfileKey] = value;
    });
    return new UserProfiles(file, sections);
  }

  /**
   * The profile of `user`. `groupsOf` names the user's groups; it is asked only when the
   * file has `[@group]` sections (a lookup may read /etc/group).
   */
  resolve(user: string, groupsOf: () => readonly string[]): ResolvedProfile {
    const resolved: ResolvedProfile = { values: {}, sources: {} };
    const apply = (section: Section) => {
      for (const [key, value] of Object.entries(section.values) as [ProfileKey, number][]) {
        resolved.values[key] = value;
        resolved.sources[key] = `${this.file} [${section.target}]`;
      }
    };
    for (const section of this.#sections) if (section.target === "*") apply(section);
    const groupSections = this.#sections.filter((section) => section.target.startsWith("@"));
    if (groupSections.length > 0) {
      const memberOf = new Set(groupsOf());
      for (const section of groupSections) {
        if (memberOf.has(section.target.slice(1))) apply(section);
      }
    }
    for (const section of this.#sections) if (section.target === user) apply(section);
    return resolved;
  }
}
