import assert from "node:assert/strict";
import { assertNotWritable, findWritable } from "./runner_integrity.ts";
import type { SystemUser } from "./users.ts";

const someone = (uid: number, groups: number[] = []): SystemUser => ({
  name: "someone",
  uid,
  gid: groups[0] ?? 99_999,
  home: "/nonexistent",
  group: "g",
  groups,
});
/** A user who owns nothing here and is in no group of these files. */
const stranger = someone(99_998);

async function tree(): Promise<string> {
  const dir = await Deno.makeTempDir();
  await Deno.mkdir(`${dir}/src/sub`, { recursive: true });
  await Deno.writeTextFile(`${dir}/src/sub/a.ts`, "export {};\n");
  await Deno.chmod(`${dir}/src/sub/a.ts`, 0o644);
  await Deno.chmod(`${dir}/src/sub`, 0o755);
  await Deno.chmod(`${dir}/src`, 0o755);
  await Deno.chmod(dir, 0o755);
  return dir;
}

Deno.test("findWritable passes a tree no one else can write, under a sticky /tmp", async () => {
  const dir = await tree();
  try {
    assert.equal(findWritable([`${dir}/src`, `${dir}/missing`], stranger), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("findWritable finds a file anyone may write, deep in the tree", async () => {
  const dir = await tree();
  try {
    await Deno.chmod(`${dir}/src/sub/a.ts`, 0o646);
    assert.match(
      findWritable([`${dir}/src`], stranger)!,
      /^".*\/src\/sub\/a\.ts", which "someone" can write \(anyone may write, mode 646\)$/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("findWritable finds what the user owns, and group-writable files of its groups only", async () => {
  const dir = await tree();
  try {
    const gid = Deno.statSync(`${dir}/src`).gid!;
    assert.match(findWritable([`${dir}/src`], someone(Deno.uid()!))!, /owned by uid/);
    await Deno.chmod(`${dir}/src/sub`, 0o775);
    assert.match(findWritable([`${dir}/src`], someone(99_998, [gid]))!, /sub", .*group \d+ may/);
    assert.equal(findWritable([`${dir}/src`], someone(99_998, [gid + 1])), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("findWritable checks the ancestors of a root and the target of a symlink", async () => {
  const dir = await tree();
  const outside = await Deno.makeTempDir();
  try {
    await Deno.chmod(outside, 0o777);
    await Deno.writeTextFile(`${outside}/b.ts`, "export {};\n");
    await Deno.symlink(`${outside}/b.ts`, `${dir}/src/link.ts`);
    assert.match(findWritable([`${dir}/src`], stranger)!, /anyone may write, mode 777/);
    assert.match(findWritable([`${outside}/b.ts`], stranger)!, /anyone may write/);
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(outside, { recursive: true });
  }
});

Deno.test("assertNotWritable names the plugin, the user and the path", async () => {
  const dir = await tree();
  try {
    await Deno.chmod(`${dir}/src/sub/a.ts`, 0o666);
    assert.throws(
      () => assertNotWritable([`${dir}/src`], stranger, "p"),
      /^Error: Cannot start plugin "p" as "someone": the runner loads ".*a\.ts", which "someone" can write \(anyone may write, mode 666\); make it owned by the server's user and not writable by others$/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("assertNotWritable passes a user with the server's own uid, who may change the server", async () => {
  const dir = await tree();
  try {
    const server = someone(Deno.uid() ?? 0);
    assert.match(String(findWritable([`${dir}/src`], server)), /owned by uid/);
    assertNotWritable([`${dir}/src`], server, "local");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
