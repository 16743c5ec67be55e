import assert from "node:assert/strict";
import { swappableBy } from "./trusted_path.ts";

Deno.test("swappableBy accepts system paths owned by root", () => {
  assert.equal(swappableBy("/usr/bin/env"), undefined);
  assert.equal(swappableBy("/bin/sh"), undefined, "a root-owned link in a root-owned folder");
  assert.equal(swappableBy("/nonexistent/tool"), undefined, "missing parts cannot be swapped yet");
});

Deno.test("swappableBy names a directory others can write to, or another user's", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  try {
    await Deno.mkdir(`${dir}/open`);
    await Deno.chmod(`${dir}/open`, 0o777);
    await Deno.writeTextFile(`${dir}/open/tool`, "");
    assert.match(
      swappableBy(`${dir}/open/tool`) ?? "",
      /"\/.*\/open" is writable by group or others \(mode 777\), who could swap it/,
    );
    await Deno.chmod(`${dir}/open`, 0o1777);
    assert.match(swappableBy(`${dir}/open`) ?? "", /is writable by group or others \(mode 777\)/);
    assert.equal(swappableBy(`${dir}/open/tool`), undefined, "a sticky folder above is fine");
    if (Deno.uid() === 0) {
      await Deno.chown(`${dir}/open/tool`, 4242, 4242);
      assert.match(swappableBy(`${dir}/open/tool`) ?? "", /"\/.*\/tool" is owned by uid 4242/);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
