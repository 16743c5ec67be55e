import assert from "node:assert/strict";
import { findUnreachable, type NeededPath } from "./reachability.ts";
import { ReachabilityCache } from "./reachability_cache.ts";
import type { SystemUser } from "./users.ts";

/** An account the temp tree's owner is not. */
function stranger(uid = 64_001): SystemUser {
  return { name: `u${uid}`, uid, gid: uid, home: "/nonexistent", group: "u", groups: [uid] };
}

const options = { plugin: "local" };

/** A world-readable temp tree: root/plugin/{mod.ts,lib/a.ts}; `needed` reads it as a tree. */
async function withPlugin(
  body: (root: string, needed: NeededPath[]) => Promise<void> | void,
): Promise<void> {
  const root = Deno.realPathSync(await Deno.makeTempDir({ prefix: "launchbox-reach-cache-" }));
  try {
    await Deno.mkdir(`${root}/plugin/lib`, { recursive: true });
    for (const dir of ["", "/plugin", "/plugin/lib"]) await Deno.chmod(`${root}${dir}`, 0o755);
    for (const file of ["plugin/mod.ts", "plugin/lib/a.ts"]) {
      await Deno.writeTextFile(`${root}/${file}`, "");
      await Deno.chmod(`${root}/${file}`, 0o644);
    }
    await body(root, [{ path: `${root}/plugin`, access: "read", tree: true }]);
  } finally {
    await new Deno.Command("chmod", { args: ["-R", "u+rwx", root] }).output();
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("ReachabilityCache answers a second check from its verdict while no directory changed", () =>
  withPlugin(async (root, needed) => {
    const cache = new ReachabilityCache();
    cache.assertReachable(needed, stranger(), options);
    // A file's chmod does not touch its directory: only a fresh walk sees it.
    await Deno.chmod(`${root}/plugin/lib/a.ts`, 0o600);
    assert.equal(findUnreachable(needed, stranger())?.blocker, `${root}/plugin/lib/a.ts`);
    cache.assertReachable(needed, stranger(), options);
    assert.equal(cache.size, 1);
  }));

Deno.test("ReachabilityCache checks again once a checked directory's mode changes", () =>
  withPlugin(async (root, needed) => {
    const cache = new ReachabilityCache();
    cache.assertReachable(needed, stranger(), options);
    await Deno.chmod(`${root}/plugin/lib`, 0o700);
    assert.throws(
      () => cache.assertReachable(needed, stranger(), options),
      /cannot read .*\/plugin\/lib in .*\/plugin \(it is mode 0700/,
    );
  }));

Deno.test("ReachabilityCache checks again once an entry is added to a checked directory", () =>
  withPlugin(async (root, needed) => {
    const cache = new ReachabilityCache();
    cache.assertReachable(needed, stranger(), options);
    await Deno.writeTextFile(`${root}/plugin/secret.ts`, "");
    await Deno.chmod(`${root}/plugin/secret.ts`, 0o600);
    assert.throws(
      () => cache.assertReachable(needed, stranger(), options),
      /cannot read .*\/plugin\/secret\.ts in /,
    );
  }));

Deno.test("ReachabilityCache checks again once a needed path appears", () =>
  withPlugin(async (root, needed) => {
    const cache = new ReachabilityCache();
    const withEntry = [...needed, { path: `${root}/late.ts`, access: "read" } as const];
    cache.assertReachable(withEntry, stranger(), options);
    await Deno.writeTextFile(`${root}/late.ts`, "");
    await Deno.chmod(`${root}/late.ts`, 0o600);
    assert.throws(() => cache.assertReachable(withEntry, stranger(), options), /late\.ts/);
  }));

/** Giving a directory to a group one is not in takes root. */
const chownSkip = Deno.uid() === 0 ? undefined : "changing a directory's group needs root";

Deno.test({
  name: `ReachabilityCache checks again once an ancestor changes group${
    chownSkip ? ` (skipped: ${chownSkip})` : ""
  }`,
  ignore: chownSkip !== undefined,
  fn: () =>
    withPlugin(async (root, needed) => {
      const cache = new ReachabilityCache();
      // Group-only access for the stranger's own group, then the same mode for another group.
      await Deno.chown(root, null, 64_001);
      await Deno.chmod(root, 0o750);
      cache.assertReachable(needed, stranger(), options);
      await Deno.chown(root, null, 64_002);
      assert.throws(() => cache.assertReachable(needed, stranger(), options), /is mode 0750/);
    }),
});

Deno.test("ReachabilityCache keeps no refusal: a fixed directory passes at once", () =>
  withPlugin(async (root, needed) => {
    const cache = new ReachabilityCache();
    await Deno.chmod(`${root}/plugin`, 0o700);
    assert.throws(() => cache.assertReachable(needed, stranger(), options), /mode 0700/);
    assert.equal(cache.size, 0);
    await Deno.chmod(`${root}/plugin`, 0o755);
    cache.assertReachable(needed, stranger(), options);
    assert.equal(cache.size, 1);
  }));

Deno.test("ReachabilityCache keeps one verdict per user and path set, dropping the oldest past its size", () =>
  withPlugin((_root, needed) => {
    const cache = new ReachabilityCache(2);
    cache.assertReachable(needed, stranger(64_001), options);
    cache.assertReachable(needed, stranger(64_002), options);
    cache.assertReachable(needed, stranger(64_002), options);
    assert.equal(cache.size, 2);
    cache.assertReachable(needed.map((n) => ({ ...n, tree: false })), stranger(64_002), options);
    assert.equal(cache.size, 2);
    assert.throws(() => new ReachabilityCache(0), /must be a positive integer, got 0/);
  }));
