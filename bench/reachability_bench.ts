// Reachability of a session-user runner's code (src/ as a tree, deno.json, the runtime) and
// the local plugin: the walk a runner start did every time, and the cached verdict it now
// checks instead.
import { findUnreachable, type NeededPath } from "../src/sandbox/reachability.ts";
import { ReachabilityCache } from "../src/sandbox/reachability_cache.ts";
import { runnerNeeds } from "../src/sandbox/runner_command.ts";
import type { SystemUser } from "../src/sandbox/users.ts";

const PLUGIN = new URL("../plugins/local", import.meta.url).pathname;
const needed: NeededPath[] = [...runnerNeeds(), { path: PLUGIN, access: "read", tree: true }];
const user: SystemUser = {
  name: "bench",
  uid: 64_100,
  gid: 64_100,
  home: "/nonexistent",
  group: "bench",
  groups: [64_100],
};
const options = { plugin: "local" };
const cache = new ReachabilityCache();
cache.assertReachable(needed, user, options);

Deno.bench("findUnreachable: walk src/ and the plugin (every runner start before)", () => {
  const found = findUnreachable(needed, user);
  if (found) throw new Error(`unreachable: ${found.blocker} (${found.why})`);
});

Deno.bench(
  "ReachabilityCache.assertReachable: verdict still holds (re-stat the directories)",
  () => {
    cache.assertReachable(needed, user, options);
  },
);
