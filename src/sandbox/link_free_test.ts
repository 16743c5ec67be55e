import assert from "node:assert/strict";
import { prepareInstanceDir } from "./instance_directory.ts";

Deno.test("prepareInstanceDir refuses an instance path that a link has taken over", async () => {
  const scratch = await Deno.makeTempDir();
  const elsewhere = await Deno.makeTempDir();
  try {
    const root = `${scratch}/instances`;
    await Deno.mkdir(`${root}/ns`, { recursive: true });
    await Deno.symlink(elsewhere, `${root}/ns/staff`);
    await assert.rejects(
      prepareInstanceDir(root, `${root}/ns/staff/alice`),
      new RegExp(
        `^RangeError: Cannot prepare instance directory ".*/alice": ".*/ns/staff" is a link`,
      ),
    );
    assert.deepEqual([...Deno.readDirSync(elsewhere)], [], "nothing was made through the link");
    const mode = (await Deno.stat(elsewhere)).mode! & 0o777;
    assert.equal(mode, 0o700, "the link's target kept its mode");
  } finally {
    await Deno.remove(scratch, { recursive: true });
    await Deno.remove(elsewhere, { recursive: true });
  }
});
