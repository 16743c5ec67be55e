/** Placeholders expanded per instance. `${scratch}` is not one: it would reach other instances. */
export const PLACEHOLDERS = ["${plugin_dir}", "${instance_dir}", "${user_home}"] as const;

/** A manifest path entry split into its placeholder (if any) and its normalised rest. */
export interface EntryPath {
  /** `${plugin_dir}`, `${instance_dir}`, `${user_home}`, or `undefined` for an absolute path. */
  placeholder: string | undefined;
  /** The entry with duplicate slashes, `.` segments and trailing slashes removed. */
  normal: string;
}

/**
 * Normalises a manifest path entry before any rule looks at it, so that `/etc/./shadow`,
 * `//etc/shadow` and `/etc/shadow/` are all `/etc/shadow` and `/.` is `/`. `..` segments
 * are kept (the rules refuse them). Returns the reason when the entry is malformed: a
 * placeholder not at the start, an unknown placeholder, a placeholder followed by anything
 * but `/` (`${instance_dir}_x` names a sibling of the instance directory), or a relative path.
 */
export function normalizeEntry(entry: string): EntryPath | string {
  const placeholder = /^\$\{[^}]*\}/.exec(entry)?.[0];
  if (placeholder && !(PLACEHOLDERS as readonly string[]).includes(placeholder)) {
    return placeholder === "${scratch}"
      ? "reaches every instance's files; use ${instance_dir}"
      : `uses an unknown placeholder (known: ${PLACEHOLDERS.join(", ")})`;
  }
  const rest = placeholder ? entry.slice(placeholder.length) : entry;
  if (rest.includes("${")) return "may use a placeholder only at its start";
  if (placeholder && rest !== "" && !rest.startsWith("/")) {
    return `must have "/" or nothing after ${placeholder}`;
  }
  if (!placeholder && !rest.startsWith("/")) {
    return "must be an absolute path or start with a placeholder";
  }
  const segments = rest.split("/").filter((segment) => segment !== "" && segment !== ".");
  const tail = segments.length > 0 ? `/${segments.join("/")}` : "";
  return { placeholder, normal: placeholder ? `${placeholder}${tail}` : tail || "/" };
}

/** Normalises an absolute path the same way (duplicate slashes, `.`, trailing slashes). */
export function normalizeAbsolute(path: string): string {
  const segments = path.split("/").filter((segment) => segment !== "" && segment !== ".");
  return `/${segments.join("/")}`;
}

/** Whether `inner` is `outer` or lies inside it (both normalised absolute paths). */
export function isWithin(inner: string, outer: string): boolean {
  return inner === outer || outer === "/" || inner.startsWith(`${outer}/`);
}
