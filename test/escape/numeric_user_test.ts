/**
 * A Launcher request for user "0" (or any all-digit name) at run_as: session-user: the
 * host looks the name up as a name, never as a uid, so no runner starts as root for it.
 */
import assert from "node:assert/strict";
import { withHost } from "../_support/host_process.ts";
import { userRequest } from "../_support/requests.ts";
import { ensureTestUsers, TEST_USERS } from "../_support/system_users.ts";

const skip = await ensureTestUsers();
const [ALICE] = TEST_USERS;

Deno.test({
  name: `A request for user "0" or "1000" at run_as session-user is refused, never run as that uid${
    skip ? ` (skipped: ${skip})` : ""
  }`,
  ignore: skip !== undefined,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await withHost({ pluginName: "local", config: [] }, async ({ client }) => {
      await client.bootstrap();
      for (const user of ["0", "1000"]) {
        const reply = await client.request(
          userRequest(client, 2, user, { job: { command: "id -u", name: "as a number" } }),
        );
        assert.notEqual(reply.messageType, 2, `a job was accepted for "${user}"`);
        assert.match(
          JSON.stringify(reply),
          new RegExp(
            `for user \\\\"${user}\\\\": the name is all digits, which would read as a uid`,
          ),
        );
      }
      const job = await client.request(
        userRequest(client, 2, ALICE, { job: { command: "true", name: "still served" } }),
      );
      assert.equal(job.messageType, 2);
    });
  },
});
