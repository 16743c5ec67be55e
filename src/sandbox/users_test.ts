import assert from "node:assert/strict";
import { UserDirectory } from "./users.ts";

Deno.test("UserDirectory names a user's groups, primary first, from passwd and group files", async () => {
  const dir = await Deno.makeTempDir({ prefix: "launchbox-users-" });
  try {
    await Deno.writeTextFile(
      `${dir}/passwd`,
      "alice:x:1001:100:Alice:/home/alice:/bin/sh\nbob:x:1002:1002::/home/bob:/bin/sh\n",
    );
    await Deno.writeTextFile(
      `${dir}/group`,
      "users:x:100:\nbob:x:1002:\npower:x:2000:alice,carol\ngpu:x:2001:bob,alice\n",
    );
    const users = new UserDirectory({ passwd: `${dir}/passwd`, group: `${dir}/group` });
    assert.deepEqual(users.groupNamesOf("alice"), ["users", "power", "gpu"]);
    assert.deepEqual(users.groupNamesOf("bob"), ["bob", "gpu"]);
    assert.deepEqual(users.groupNamesOf("nobody-here"), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("UserDirectory re-reads on a miss only when passwd or group changed", async () => {
  const dir = await Deno.makeTempDir({ prefix: "launchbox-users-" });
  try {
    const passwd = `${dir}/passwd`;
    await Deno.writeTextFile(passwd, "alice:x:1001:100::/home/alice:/bin/sh\n");
    await Deno.writeTextFile(`${dir}/group`, "users:x:100:\n");
    const users = new UserDirectory({ passwd, group: `${dir}/group` });
    assert.equal(users.lookup("carol"), undefined);
    // Same length, same inode, same modification time: to the directory, not a change.
    const { mtime } = await Deno.stat(passwd);
    const file = await Deno.open(passwd, { write: true });
    await file.write(new TextEncoder().encode("carol"));
    file.close();
    await Deno.utime(passwd, mtime!, mtime!);
    assert.equal(users.lookup("carol"), undefined, "an unchanged file is not read again");
    await Deno.writeTextFile(passwd, "dave:x:1003:100::/home/dave:/bin/sh\n", { append: true });
    assert.equal(users.lookup("dave")?.uid, 1003, "a user added to passwd is found");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("UserDirectory finds the first account with a uid, and none for an unknown one", async () => {
  const dir = await Deno.makeTempDir({ prefix: "launchbox-users-" });
  try {
    await Deno.writeTextFile(
      `${dir}/passwd`,
      "root:x:0:0::/root:/bin/sh\nalice:x:1001:100::/home/alice:/bin/sh\nalias:x:1001:100::/:/bin/sh\n",
    );
    await Deno.writeTextFile(`${dir}/group`, "users:x:100:\n");
    const users = new UserDirectory({ passwd: `${dir}/passwd`, group: `${dir}/group` });
    assert.equal(users.byUid(1001)?.name, "alice");
    assert.equal(users.byUid(0)?.name, "root");
    assert.equal(users.byUid(4242), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("UserDirectory never takes an all-digit user name as a uid, nor as an account", async () => {
  const dir = await Deno.makeTempDir({ prefix: "launchbox-users-" });
  try {
    // A crafted (or NSS-made) entry whose name is a number: "1000" must not mean root.
    await Deno.writeTextFile(
      `${dir}/passwd`,
      "root:x:0:0::/root:/bin/sh\n1000:x:0:0::/root:/bin/sh\nalice:x:1000:100::/home/alice:/bin/sh\n",
    );
    await Deno.writeTextFile(`${dir}/group`, "root:x:0:\nusers:x:100:\n");
    const users = new UserDirectory({ passwd: `${dir}/passwd`, group: `${dir}/group` });
    assert.equal(users.lookup("0"), undefined);
    assert.equal(users.lookup("1000"), undefined);
    assert.equal(users.lookup("alice")?.uid, 1000);
    assert.equal(users.byUid(0)?.name, "root");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
