import { isWithin, normalizeEntry } from "./entry_path.ts";
import { hostSecretEnv } from "./host_secret_env.ts";
import { isHostProgramName } from "./run_programs.ts";

export { PLACEHOLDERS } from "./entry_path.ts";

/** The permission kinds a manifest may grant (docs/architecture.md). */
export const PERMISSION_KINDS = ["read", "write", "run", "env", "net", "sys"] as const;

/** One of {@linkcode PERMISSION_KINDS}. */
export type PermissionKind = typeof PERMISSION_KINDS[number];

const WRITABLE = ["${instance_dir}", "${user_home}"];
/**
 * Host files no plugin may read, whatever user its runner has: password hashes, root's
 * files, and /proc (another process's environment and memory maps, and the runner's own
 * binary as /proc/self/exe).
 */
const SECRETS = ["/etc/shadow", "/etc/gshadow", "/etc/sudoers", "/etc/ssh", "/root", "/proc"];
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The system information a manifest may grant under `permissions.sys`: Deno's sys names
 * that only read (`Deno.hostname()`, `Deno.osRelease()`, `Deno.loadavg()`, …). Each
 * answers about the whole host, the same for every instance at every isolation level.
 */
export const SYS_NAMES = [
  "hostname",
  "osRelease",
  "osUptime",
  "loadavg",
  "networkInterfaces",
  "systemMemoryInfo",
  "uid",
  "gid",
  "username",
  "cpus",
  "homedir",
  "statfs",
  "getPriority",
] as const;

/** One of {@linkcode SYS_NAMES}. */
export type SysName = typeof SYS_NAMES[number];

/** Deno sys names that change the runner, never granted: what each would let a plugin do. */
const REFUSED_SYS: Record<string, string> = {
  setPriority: "changes the priority of processes",
  umask: "changes the runner's file mode mask (files it creates would be readable by others)",
  ca: "reads and replaces the trusted certificate authorities",
};
const NET_ENTRY = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/;

/**
 * Why a manifest permission entry would escape the sandbox, or `undefined` when it is
 * fine. Path entries are normalised first (see `normalizeEntry`), then:
 * - paths are absolute or start with `${plugin_dir}`, `${instance_dir}` or `${user_home}`
 *   followed by `/` or nothing, and never contain `..`; `${scratch}` is refused;
 * - writes stay inside `${instance_dir}` or `${user_home}`;
 * - reads never take the whole file system nor reach the host's secrets (`/etc/shadow`,
 *   `/root`, `/proc`, …); other absolute paths may be read when listed;
 * - programs are absolute paths (or inside `${plugin_dir}`), never under `/proc` and never
 *   `deno` or `launchbox` itself, which would run with the whole permission ceiling;
 * - env entries are variable names, never the host's own (`PG*`, `LAUNCHBOX_*`, `DENO_*`);
 * - no wildcards anywhere; network entries name a host (and port), never `0.0.0.0`;
 * - sys entries are names from {@linkcode SYS_NAMES} (system information that only reads).
 * The same rules run again on the canonical (realpath) form of every expanded grant.
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
      return ENV_NAME.test(entry) ? hostSecretEnv(entry) : "is not an environment variable name";
    case "sys":
      return sysProblem(entry);
    case "net":
      if (entry.startsWith("0.0.0.0")) return "names every address; list the hosts needed";
      return NET_ENTRY.test(entry) ? undefined : "is not host, host:port or [ipv6]:port";
  }
}

function sysProblem(entry: string): string | undefined {
  if ((SYS_NAMES as readonly string[]).includes(entry)) return undefined;
  const refused = REFUSED_SYS[entry];
  if (refused) return `may not be granted: it ${refused}`;
  return `is not a sys name a plugin may have; use one of ${SYS_NAMES.join(", ")}`;
}

function checkPath(kind: PermissionKind, entry: string): string | undefined {
  const parsed = normalizeEntry(entry);
  if (typeof parsed === "string") return parsed;
  const { placeholder, normal } = parsed;
  if (normal.split("/").includes("..")) return 'must not contain ".."';
  if (kind === "write" && !WRITABLE.includes(placeholder ?? "")) {
    return "writes outside the instance directory; only ${instance_dir} and ${user_home} may be written";
  }
  if (kind === "run" && placeholder && placeholder !== "${plugin_dir}") {
    return "must be an absolute program path or inside ${plugin_dir}";
  }
  if (kind === "run" && isHostProgramName(normal)) {
    return "runs Launchbox or Deno itself, which would escape the sandbox";
  }
  if (placeholder) return undefined;
  return checkAbsolute(kind, normal);
}

/**
 * The rule for a read inside a folder the host grants itself (the plugin's folder, its
 * instance directory, the SDK): the administrator chose where those live, so they may lie
 * inside a secret's folder (a checkout under `/root`), but never hold a secret themselves.
 */
export function checkHostRootRead(path: string): string | undefined {
  if (path === "/") return "reads the whole file system";
  const secret = SECRETS.find((s) => isWithin(s, path));
  return secret ? `reaches the host's secrets ("${secret}")` : undefined;
}

/**
 * The rules for an absolute, normalised path (as written, or canonical after expansion):
 * a read never takes `/` nor reaches a secret; a program is never under `/proc`. The
 * checks that need the file system (Deno by realpath, trampolines) are in `run_programs.ts`.
 */
export function checkAbsolute(kind: PermissionKind, path: string): string | undefined {
  if (kind === "read" && path === "/") return "reads the whole file system";
  if (kind === "read") {
    const secret = SECRETS.find((s) => isWithin(path, s) || isWithin(s, path));
    if (secret) return `reaches the host's secrets ("${secret}")`;
  }
  if (kind === "run" && isWithin(path, "/proc")) {
    return "is under /proc, which can name the runner's own binary (Deno)";
  }
  return undefined;
}
