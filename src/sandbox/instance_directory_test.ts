import assert from "node:assert/strict";
import { prepareInstanceDir } from "./instance_directory.ts";

const mode = async (path: string) => (await Deno.stat(path)).mode! & 0o777;

Deno.test("prepareInstanceDir closes the parents of a directory whose runner runs as the host", async () => {
  const scratch = await Deno.makeTempDir();
  try {
    const root = `${scratch}/instances`;
    await Deno.mkdir(`${root}/ns/staff`, { recursive: true, mode: 0o755 });
    await prepareInstanceDir(root, `${root}/ns/staff/alice`);
    assert.equal(await mode(`${root}/ns/staff/alice`), 0o700);
    assert.equal(await mode(`${root}/ns/staff`), 0o700);
    assert.equal(await mode(`${root}/ns`), 0o700);
    assert.equal(await mode(root), 0o700);
  } finally {
    await Deno.remove(scratch, { recursive: true });
  }
});

Deno.test({
  name: "prepareInstanceDir lets another user cross, not list, the parents of its directory",
  ignore: Deno.uid() !== 0,
  async fn() {
    const scratch = await Deno.makeTempDir();
    try {
      const root = `${scratch}/instances`;
      const nobody = {
        name: "nobody",
        uid: 65534,
        gid: 65534,
        home: "/",
        group: "nogroup",
        groups: [65534],
      };
      await prepareInstanceDir(root, `${root}/ns/staff/alice`, nobody);
      assert.equal(await mode(`${root}/ns/staff/alice`), 0o700);
      assert.equal((await Deno.stat(`${root}/ns/staff/alice`)).uid, 65534);
      assert.equal(await mode(`${root}/ns/staff`), 0o711);
      assert.equal(await mode(`${root}/ns`), 0o711);
      assert.equal(await mode(root), 0o711);
      assert.equal((await mode(scratch)) & 0o001, 0o001);
    } finally {
      await Deno.remove(scratch, { recursive: true });
    }
  },
});

Deno.test("prepareInstanceDir keeps a shared root crossable for a host-uid instance among other users", async () => {
  const scratch = await Deno.makeTempDir();
  try {
    const root = `${scratch}/instances`;
    await Deno.mkdir(`${root}/ns/users`, { recursive: true, mode: 0o711 });
    await Deno.chmod(root, 0o711);
    // At run_as: session-user, root's own jobs run with the host's uid; other users' runners
    // must still cross the instances root and `ns/users` to reach their own directories.
    await prepareInstanceDir(root, `${root}/ns/users/root`, undefined, { othersCross: true });
    assert.equal(await mode(`${root}/ns/users/root`), 0o700);
    assert.equal(await mode(`${root}/ns/users`), 0o711);
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
