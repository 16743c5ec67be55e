import assert from "node:assert/strict";
import { prepareInstanceDir } from "./instance_directory.ts";

Deno.test("prepareInstanceDir makes a private directory whose parents can be crossed, not listed", async () => {
  const scratch = await Deno.makeTempDir();
  try {
    const root = `${scratch}/instances`;
    await prepareInstanceDir(root, `${root}/ns/staff/alice`);
    const mode = async (path: string) => (await Deno.stat(path)).mode! & 0o777;
    assert.equal(await mode(`${root}/ns/staff/alice`), 0o700);
    assert.equal(await mode(`${root}/ns/staff`), 0o711);
    assert.equal(await mode(`${root}/ns`), 0o711);
    assert.equal(await mode(root), 0o711);
  } finally {
    await Deno.remove(scratch, { recursive: true });
  }
});

Deno.test("prepareInstanceDir refuses a directory outside the instances root", async () => {
  await assert.rejects(
    prepareInstanceDir("/s/instances", "/s/instances-other/x"),
    /^RangeError: Cannot prepare instance directory "\/s\/instances-other\/x": it is not inside "\/s\/instances"$/,
  );
});
