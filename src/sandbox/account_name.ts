/**
 * Characters no account name holds: the passwd field separator, path and list separators,
 * whitespace and control characters. Names from directory services (`alice@example.com`)
 * and Samba machine accounts (`host$`) pass.
 */
const FORBIDDEN = /[:/,\s\p{Cc}]/u;

/**
 * Why `name` is not an account name a Launcher user may have, or `undefined`. An all-digit
 * name is refused: tools such as `setpriv`, `chown` and `id` read it as a uid, so a request
 * for user "0" must never reach them as a name (Launchbox passes numeric ids onward, and
 * looks names up by name only).
 */
export function accountNameProblem(name: string): string | undefined {
  if (name === "") return "is empty";
  if (/^[0-9]+$/.test(name)) return "is all digits, which would read as a uid";
  if (name.startsWith("-")) return 'starts with "-", which would read as an option';
  if (FORBIDDEN.test(name)) return "holds a character not allowed in account names";
  return undefined;
}
