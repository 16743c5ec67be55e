/** The permission kinds a manifest may grant (DESIGN §3). */
export const PERMISSION_KINDS = ["read", "write", "run", "env", "net"] as const;

/** One of {@linkcode PERMISSION_KINDS}. */
export type PermissionKind = typeof PERMISSION_KINDS[number];

/** Placeholders expanded per instance. `${scratch}` is not one: it would reach other instances. */
export const PLACEHOLDERS = ["${plugin_dir}", "${instance_dir}", "${user_home}"] as const;

const WRITABLE = ["${instance_dir}", "${user_home}"];
/**
 * Host files no plugin may read, whatever user its runner has: password hashes, root's
 * files, and /proc (another process's environment and memory maps).
 */
const SECRETS = ["/etc/shadow", "/etc/gshadow", "/etc/sudoers", "/etc/ssh", "/root", "/proc"];
/** Programs that would start a process with the whole permission ceiling. */
const HOST_PROGRAMS = ["deno", "launchbox"];
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NET_ENTRY = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/;

/**
 * Why a manifest permission entry would escape the sandbox, or `undefined` when it is
 * fine. The rules:
 * - paths are absolute or start with `${plugin_dir}`, `${instance_dir}` or `${user_home}`,
 *   and never contain `..`; `${scratch}` is refused (it holds every instance's files);
 * - writes stay inside `${instance_dir}` or `${user_home}`;
 * - reads never take the whole file system nor reach the host's secrets (`/etc/shadow`,
 *   `/root`, `/proc`, …); other absolute paths may be read when listed;
 * - programs are absolute paths (or inside `${plugin_dir}`) and never `deno` or
 *   `launchbox` itself, which would run with the whole permission ceiling;
 * - no wildcards anywhere; network entries name a host (and port), never `0.0.0.0`.
 */
export function checkPermissionEntry(kind: PermissionKind, entry: string): string | undefined {
  if (entry === "" || entry === "*" || entry === "true") {
    return "is a wildcard; list what is needed";
  }
  switch (kind) {
    case "read":
    case "write":
    case "run":
      return checkPath(kind, entry);
    case "env":
      return ENV_NAME.test(entry) ? undefined : "is not an environment variable name";
    case "net":
      if (entry.startsWith("0.0.0.0")) return "names every address; list the hosts needed";
      return NET_ENTRY.test(entry) ? undefined : "is not host, host:port or [ipv6]:port";
  }
}

function checkPath(kind: PermissionKind, entry: string): string | undefined {
  const placeholder = /^\$\{[^}]*\}/.exec(entry)?.[0];
  if (placeholder && !(PLACEHOLDERS as readonly string[]).includes(placeholder)) {
    return placeholder === "${scratch}"
      ? "reaches every instance's files; use ${instance_dir}"
      : `uses an unknown placeholder (known: ${PLACEHOLDERS.join(", ")})`;
  }
  if (!placeholder && !entry.startsWith("/")) {
    return "must be an absolute path or start with a placeholder";
  }
  if (entry.split("/").includes("..")) return 'must not contain ".."';
  if (kind === "write" && !WRITABLE.includes(placeholder ?? "")) {
    return "writes outside the instance directory; only ${instance_dir} and ${user_home} may be written";
  }
  if (kind === "read" && entry.replace(/\/+$/, "") === "") return "reads the whole file system";
  if (kind === "read" && !placeholder) {
    const secret = SECRETS.find((path) => within(path, entry) || within(entry, path));
    if (secret) return `reaches the host's secrets ("${secret}")`;
  }
  if (kind === "run" && HOST_PROGRAMS.includes(entry.slice(entry.lastIndexOf("/") + 1))) {
    return "runs Launchbox or Deno itself, which would escape the sandbox";
  }
  if (kind === "run" && placeholder && placeholder !== "${plugin_dir}") {
    return "must be an absolute program path or inside ${plugin_dir}";
  }
  return undefined;
}

/** Whether `inner` is `outer` or lies inside it. */
function within(inner: string, outer: string): boolean {
  const o = outer.replace(/\/+$/, "");
  const i = inner.replace(/\/+$/, "");
  return i === o || i.startsWith(`${o}/`);
}
