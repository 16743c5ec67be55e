/**
 * Issue #11 item 2, `${user_home}`: a grant of the job user's home must fail with a clear
 * error for a user whose home is `/`, missing, or not owned by that user (`daemon`'s
 * `/usr/sbin`, `nobody`'s `/nonexistent`), and the host keeps serving other users.
 * (A home of `/` has no account here to test with; `src/sandbox/user_home_test.ts` covers it.)
 */
import assert from "node:assert/strict";
import { withHost } from "../_support/host_process.ts";
import { submit, userRequest } from "../_support/requests.ts";
import { UserDirectory } from "../../src/sandbox/users.ts";
import { installPlugin, LEVELS, levelSkip, pluginsRoot } from "./_hostile_plugins.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const level = LEVELS[3]!;
const users = new UserDirectory();
const skip = await levelSkip(level) ??
  (users.lookup("daemon") && users.lookup("nobody") ? undefined : "no daemon or nobody account");

Deno.test({
  name: `Host refuses \${user_home} for users whose home is not theirs and keeps serving others${
    skip ? ` (skipped: ${skip})` : ""
  }`,
  ignore: skip !== undefined,
  ...opts,
  async fn() {
    await using root = await pluginsRoot();
    await installPlugin(root.dir, "reads_user_home", { name: "reads_user_home", level });
    const daemonHome = users.lookup("daemon")!.home;
    const nobodyHome = users.lookup("nobody")!.home;
    await withHost(
      { pluginsDir: root.dir, pluginName: "reads_user_home", config: [] },
      async ({ client }) => {
        await client.bootstrap();
        const refused = async (user: string, why: RegExp) => {
          const reply = await client.request(
            userRequest(client, 2, user, { job: { command: "x", name: "home" } }),
          );
          assert.equal(reply.messageType, -1, `${user} was served`);
          assert.match(
            String(reply.errorMessage),
            new RegExp(
              `Cannot grant plugin "reads_user_home" \\$\\{user_home\\} for user "${user}": `,
            ),
          );
          assert.match(String(reply.errorMessage), why);
        };
        await refused(
          "daemon",
          new RegExp(`the home "${daemonHome}" is owned by uid 0, not by the user`),
        );
        assert.equal((await submit(client, "lbtest_alice", { name: "fine" })).status, "Running");
        await refused("nobody", new RegExp(`the home "${nobodyHome}" does not exist`));
        assert.equal((await submit(client, "lbtest_bob", { name: "fine" })).status, "Running");
        assert.equal((await submit(client, "lbtest_alice", { name: "again" })).status, "Running");
      },
    );
  },
});
