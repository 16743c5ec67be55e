import assert from "node:assert/strict";
import { canonicalPath } from "./canonical_path.ts";

Deno.test("canonicalPath resolves links, and for a missing path its nearest existing ancestor", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  try {
    await Deno.mkdir(`${dir}/real`);
    await Deno.symlink(`${dir}/real`, `${dir}/link`);
    await Deno.symlink("../real/gone", `${dir}/real/dangling`);
    assert.equal(canonicalPath(`${dir}/link`), `${dir}/real`);
    assert.equal(canonicalPath(`${dir}//link/./`), `${dir}/real`);
    assert.equal(canonicalPath(`${dir}/link/not/yet`), `${dir}/real/not/yet`);
    assert.equal(canonicalPath(`${dir}/real/dangling`), `${dir}/real/gone`);
    assert.equal(canonicalPath("/"), "/");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("canonicalPath gives up on a loop of links with a clear error", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  try {
    await Deno.symlink(`${dir}/b`, `${dir}/a`);
    await Deno.symlink(`${dir}/a`, `${dir}/b`);
    assert.throws(() => canonicalPath(`${dir}/a`), /more than 40 links/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
