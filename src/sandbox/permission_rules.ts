/** The permission kinds a manifest may grant (DESIGN §3). */
export const PERMISSION_KINDS = ["read", "write", "run", "env", "net"] as const;

/** One of {@linkcode PERMISSION_KINDS}. */
export type PermissionKind = typeof PERMISSION_KINDS[number];

/** Placeholders expanded per instance. `${scratch}` is not one: it would reach other instances. */
export const PLACEHOLDERS = ["${plugin_dir}", "${instance_dir}", "${user_home}"] as const;

const WRITABLE = ["${instance_dir}", "${user_home}"];
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NET_ENTRY = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/;

/**
 * Why a manifest permission entry would escape the sandbox, or `undefined` when it is
 * fine. The rules: paths are absolute or start with a placeholder and never contain `..`;
 * writes stay inside the instance directory or the user's home; no wildcards anywhere;
 * programs are absolute paths; network entries name a host (and port).
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
  if (kind === "run" && placeholder && placeholder !== "${plugin_dir}") {
    return "must be an absolute program path or inside ${plugin_dir}";
  }
  return undefined;
}
