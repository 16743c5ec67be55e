import assert from "node:assert/strict";
import { defaultScratchChain, ensureOwnedDirectory } from "./private_dir.ts";

Deno.test("ensureOwnedDirectory creates a missing directory with mode 0700", async () => {
  const parent = await Deno.makeTempDir({ prefix: "launchbox-private-" });
  try {
    ensureOwnedDirectory(`${parent}/scratch`);
    assert.equal((await Deno.lstat(`${parent}/scratch`)).mode! & 0o777, 0o700);
    ensureOwnedDirectory(`${parent}/scratch`); // ours already: accepted
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

Deno.test("ensureOwnedDirectory refuses a symlink, even to a directory of ours", async () => {
  const parent = await Deno.makeTempDir({ prefix: "launchbox-private-" });
  try {
    await Deno.mkdir(`${parent}/real`);
    await Deno.symlink(`${parent}/real`, `${parent}/link`);
    assert.throws(
      () => ensureOwnedDirectory(`${parent}/link`),
      /Refusing .*\/link: it is a symlink/,
    );
    await Deno.writeTextFile(`${parent}/file`, "");
    assert.throws(() => ensureOwnedDirectory(`${parent}/file`), /it is not a directory/);
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

Deno.test({
  name: "ensureOwnedDirectory refuses a directory another user owns",
  ignore: Deno.uid() !== 0,
}, async () => {
  const parent = await Deno.makeTempDir({ prefix: "launchbox-private-" });
  try {
    await Deno.mkdir(`${parent}/theirs`);
    await Deno.chown(`${parent}/theirs`, 4242, 4242);
    assert.throws(
      () => ensureOwnedDirectory(`${parent}/theirs`),
      /Refusing .*\/theirs: it is owned by uid 4242, not by us \(uid 0\)/,
    );
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

Deno.test("the default scratch path lies outside every home: /var/lib as root, /var/tmp otherwise", () => {
  const chain = defaultScratchChain("local");
  if (Deno.uid() === 0) assert.equal(chain.at(-1), "/var/lib/launchbox/client/local");
  else assert.equal(chain.at(-1), `/var/tmp/launchbox-${Deno.uid()}/local`);
  assert.throws(() => defaultScratchChain("../etc"), /--plugin-name must be a plugin name/);
});
