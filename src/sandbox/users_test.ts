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
