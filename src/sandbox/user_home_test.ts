import assert from "node:assert/strict";
import { checkedUserHome } from "./user_home.ts";
import type { SystemUser } from "./users.ts";

const user = (home: string, uid = Deno.uid() ?? 0): SystemUser => ({
  name: "alice",
  uid,
  gid: 1000,
  home,
  group: "alice",
  groups: [1000],
});

Deno.test("checkedUserHome gives the canonical home of a user who owns it", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  try {
    await Deno.mkdir(`${dir}/real`);
    await Deno.symlink(`${dir}/real`, `${dir}/home`);
    assert.equal(checkedUserHome("p", user(`${dir}/home`)), `${dir}/real`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const REFUSED: [string, SystemUser, RegExp][] = [
  ["is /", user("/"), /for user "alice": the home "\/" is the root directory$/],
  ["is //.", user("//."), /the home "\/\/\." is the root directory$/],
  ["is missing", user("/nonexistent/alice"), /the home "\/nonexistent\/alice" does not exist$/],
  ["is a file", user("/etc/hostname"), /the home "\/etc\/hostname" is not a directory$/],
  [
    "is someone else's",
    user("/usr/sbin", 4242),
    /the home "\/usr\/sbin" is owned by uid 0, not by the user \(uid 4242\)$/,
  ],
  ["is relative", user("home/alice"), /the home "home\/alice" is not an absolute path$/],
];
for (const [what, account, message] of REFUSED) {
  Deno.test(`checkedUserHome refuses a home that ${what}, naming plugin and user`, () => {
    assert.throws(
      () => checkedUserHome("p", account),
      (error: unknown) =>
        error instanceof RangeError &&
        error.message.startsWith('Cannot grant plugin "p" ${user_home} for user "alice"') &&
        message.test(error.message),
    );
  });
}
