import assert from "node:assert/strict";
import { assertReachable, findUnreachable } from "./reachability.ts";
import type { SystemUser } from "./users.ts";

/** An account the temp tree's owner is not, in none of its groups unless given. */
function stranger(groups: number[] = []): SystemUser {
  return {
    name: "alice",
    uid: 64_001,
    gid: 64_001,
    home: "/nonexistent",
    group: "alice",
    groups: [64_001, ...groups],
  };
}

const names = {
  userNameOf: (uid: number) => uid === Deno.uid() ? "owner" : undefined,
  groupNameOf: (gid: number) => gid === Deno.gid() ? "staff" : undefined,
};

/** A world-traversable temp tree: root/plugins/local/{mod.ts,lib/a.ts}, root/bin/tool. */
async function withTree(body: (root: string) => Promise<void> | void): Promise<void> {
  const root = Deno.realPathSync(await Deno.makeTempDir({ prefix: "launchbox-reach-" }));
  try {
    await Deno.chmod(root, 0o755);
    await Deno.mkdir(`${root}/plugins/local/lib`, { recursive: true });
    await Deno.mkdir(`${root}/bin`);
    for (const dir of ["plugins", "plugins/local", "plugins/local/lib", "bin"]) {
      await Deno.chmod(`${root}/${dir}`, 0o755);
    }
    for (const file of ["plugins/local/mod.ts", "plugins/local/lib/a.ts", "bin/tool"]) {
      await Deno.writeTextFile(`${root}/${file}`, "");
      await Deno.chmod(`${root}/${file}`, file === "bin/tool" ? 0o755 : 0o644);
    }
    await body(root);
  } finally {
    // A test may have closed a directory to its owner (not root): open them all to remove.
    await new Deno.Command("chmod", { args: ["-R", "u+rwx", root] }).output();
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("findUnreachable passes a tree everyone may read and a program everyone may run", () =>
  withTree((root) => {
    const needed = [
      { path: `${root}/plugins/local`, access: "read", tree: true },
      { path: `${root}/bin/tool`, access: "run" },
    ] as const;
    assert.equal(findUnreachable(needed, stranger()), undefined);
  }));

Deno.test("findUnreachable names the ancestor a user cannot search, with its mode and owner", () =>
  withTree(async (root) => {
    await Deno.chmod(`${root}/plugins`, 0o700);
    const needed = [{ path: `${root}/plugins/local`, access: "read" }] as const;
    assert.throws(
      () => assertReachable(needed, stranger(), { plugin: "local", names }),
      new Error(
        `Plugin "local" cannot run as alice: alice cannot read ${root}/plugins/local ` +
          `(${root}/plugins is mode 0700, owned by owner)`,
      ),
    );
  }));

Deno.test("findUnreachable names an unreadable file inside a tree and a program without x", () =>
  withTree(async (root) => {
    await Deno.chmod(`${root}/plugins/local/lib/a.ts`, 0o600);
    const tree = [{ path: `${root}/plugins/local`, access: "read", tree: true }] as const;
    const found = findUnreachable(tree, stranger(), names);
    assert.equal(found?.blocker, `${root}/plugins/local/lib/a.ts`);
    assert.equal(found?.why, "it is mode 0600, owned by owner");
    assert.equal(findUnreachable([{ ...tree[0], tree: false }], stranger()), undefined);
    await Deno.chmod(`${root}/bin/tool`, 0o744);
    assert.throws(
      () =>
        assertReachable([{ path: `${root}/bin/tool`, access: "run" }], stranger(), {
          plugin: "local",
          names,
        }),
      /alice cannot run .*\/bin\/tool \(it is mode 0744, owned by owner\)$/,
    );
  }));

Deno.test("findUnreachable applies the group's bits to members, supplementary groups included", () =>
  withTree(async (root) => {
    await Deno.chmod(`${root}/plugins`, 0o750);
    assert.match(
      findUnreachable([{ path: `${root}/plugins/local`, access: "read" }], stranger(), names)!
        .why,
      /plugins is mode 0750, owned by owner, group staff$/,
    );
    const needed = [{ path: `${root}/plugins/local/mod.ts`, access: "read" }] as const;
    assert.equal(findUnreachable(needed, stranger())?.blocker, `${root}/plugins`);
    assert.equal(findUnreachable(needed, stranger([Deno.gid()!])), undefined);
    // The owner's bits, not the group's, apply to the owner (not root: root passes). Only
    // root can look below a directory closed to its owner, so only root checks this.
    if (Deno.uid() !== 0) return;
    await Deno.chown(`${root}/plugins`, 64_002, null);
    await Deno.chmod(`${root}/plugins`, 0o070);
    const owner = { ...stranger([Deno.gid()!]), uid: 64_002 };
    assert.equal(findUnreachable(needed, owner)?.blocker, `${root}/plugins`);
    assert.equal(findUnreachable(needed, stranger([Deno.gid()!])), undefined);
  }));

Deno.test("findUnreachable follows a symlink in a tree to its target's ancestors", () =>
  withTree(async (root) => {
    await Deno.mkdir(`${root}/private`, { mode: 0o700 });
    await Deno.writeTextFile(`${root}/private/shared.ts`, "");
    await Deno.symlink(`${root}/private/shared.ts`, `${root}/plugins/local/shared.ts`);
    const tree = [{ path: `${root}/plugins/local`, access: "read", tree: true }] as const;
    assert.equal(findUnreachable(tree, stranger())?.blocker, `${root}/private`);
  }));

Deno.test("findUnreachable lets root through and skips paths that do not exist", () =>
  withTree(async (root) => {
    await Deno.chmod(`${root}/plugins`, 0o700);
    const needed = [
      { path: `${root}/missing`, access: "read" },
      { path: `${root}/plugins/local`, access: "read" },
    ] as const;
    assert.equal(findUnreachable(needed, { ...stranger(), uid: 0 }), undefined);
    assert.equal(findUnreachable(needed, stranger())?.path, `${root}/plugins/local`);
  }));
