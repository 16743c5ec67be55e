import type { SystemUser } from "./users.ts";

/**
 * Whether a job user has the host's own uid (root's jobs under a root host, or an ordinary
 * user trying `launchbox client` as themselves). Such a runner needs no switch: it has that
 * uid already. The guards about another user (can it reach the runner's code, could it
 * rewrite it) mean nothing for the user who runs the host, who may change the host itself.
 */
export function isHostUser(user: SystemUser | undefined): boolean {
  return user !== undefined && user.uid === Deno.uid();
}
