/**
 * Why a password in the `job-store-url` option is exposed, or `undefined`: on the command
 * line every local user reads it in `ps`; in a config file, whoever may read the file.
 * `origin` is where the option was set (`--job-store-url`, or `job-store-url= in <file>`).
 */
export function exposedPasswordWarning(
  url: string | undefined,
  origin: string,
  configFile?: string,
): string | undefined {
  if (url === undefined || !hasPassword(url)) return undefined;
  if (origin.startsWith("--") || configFile === undefined) {
    return `Option ${origin} holds the job store's password, which every local user can read in ps: ` +
      "use PGPASSWORD or a PGPASSFILE, or job-store-url= in a config file only the server user can read (0600)";
  }
  const mode = (Deno.statSync(configFile).mode ?? 0) & 0o777;
  if ((mode & 0o077) === 0) return undefined;
  return `Option ${origin} holds the job store's password, and the file may be read by group or others ` +
    `(mode ${mode.toString(8)}): run chmod 600 on it, or use PGPASSWORD or a PGPASSFILE`;
}

function hasPassword(url: string): boolean {
  try {
    return new URL(url).password !== "";
  } catch {
    return false;
  }
}
