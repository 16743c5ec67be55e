/**
 * Prefixes of environment variables that hold the host's own secrets or settings, with
 * what they hold. A manifest's `permissions.env` never grants them: a runner passes a
 * granted variable on from the host's environment, so `PGPASSWORD` would hand a plugin
 * the job store's password.
 */
const HOST_PREFIXES: readonly [prefix: string, holds: string][] = [
  ["PG", "libpq's connection settings and password"],
  ["LAUNCHBOX_", "Launchbox's own settings"],
  ["DENO_", "Deno's settings, registry tokens (DENO_AUTH_TOKENS) included"],
];

/**
 * Why `name` may not be granted to a plugin, or `undefined`. Matches whole prefixes only
 * (`PGPASSWORD`, `DENO_AUTH_TOKENS`), not names that merely contain one (`MY_PGHOST`).
 */
export function hostSecretEnv(name: string): string | undefined {
  const found = HOST_PREFIXES.find(([prefix]) => name.toUpperCase().startsWith(prefix));
  return found ? `names a variable of the host's own (${found[0]}*: ${found[1]})` : undefined;
}
