import { pluginNeeds } from "../host/runner_factory.ts";
import type { Manifest } from "../sandbox/manifest.ts";
import { findUnreachable, unreachableMessage } from "../sandbox/reachability.ts";
import { isHostUser } from "../sandbox/host_user.ts";
import { runnerPaths } from "../sandbox/runner_command.ts";
import { runnerCodeProblem } from "../sandbox/runner_integrity.ts";
import type { UserDirectory } from "../sandbox/users.ts";
import { UsageError } from "./usage_error.ts";

/** What `launchbox check --user NAME` found for one plugin. */
export interface UserCheck {
  plugin: string;
  /** `ok`, `skipped` (its runners keep the host's uid), or `problem`. */
  outcome: "ok" | "skipped" | "problem";
  message: string;
}

/**
 * The checks the host makes before it starts a `run_as: session-user` runner as `name`:
 * that user can reach everything the runner loads and runs, and can write none of it. For
 * the user running the check (taken as the host's), there is nothing to check: the host
 * starts that user's runners with its own uid, no switch. Throws a `UsageError` for an
 * unknown user.
 */
export function checkAsUser(
  manifests: readonly Manifest[],
  name: string,
  users: UserDirectory,
): UserCheck[] {
  const user = users.lookup(name);
  if (!user) throw new UsageError(`Cannot check as "${name}" (--user): no such system user`);
  return manifests.map((manifest) => {
    const plugin = manifest.name;
    if (manifest.runAs !== "session-user" || manifest.isolation !== "session") {
      return { plugin, outcome: "skipped", message: "its runners run as the host's user" };
    }
    if (isHostUser(user)) {
      const message = `${name} is this check's own user (uid ${user.uid}): a host run as ` +
        `${name} starts ${name}'s runners without a switch, so there is nothing to check`;
      return { plugin, outcome: "ok", message };
    }
    const unreachable = findUnreachable(pluginNeeds(manifest), user, users);
    if (unreachable) {
      return { plugin, outcome: "problem", message: unreachableMessage(plugin, user, unreachable) };
    }
    const writable = runnerCodeProblem([...runnerPaths(), manifest.dir], user, plugin);
    if (writable) return { plugin, outcome: "problem", message: writable };
    return { plugin, outcome: "ok", message: `${name} can reach everything its runner loads` };
  });
}

/** The report's section for `--user`. */
export function renderUserChecks(name: string, checks: readonly UserCheck[]): string {
  const lines = ["", `As user ${name}:`];
  for (const check of checks) lines.push(`  ${check.plugin}: ${check.outcome}: ${check.message}`);
  return lines.join("\n") + "\n";
}
