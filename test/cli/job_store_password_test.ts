import assert from "node:assert/strict";
import { withHost } from "../_support/host_process.ts";

const SECRET = "hunter2-not-for-ps";

Deno.test("A password in --job-store-url is warned about at start-up, naming the key, and never logged", async () => {
  const scratch = await Deno.makeTempDir({ prefix: "launchbox-store-url-" });
  try {
    // Port 1 refuses the connection: the store does not open and the host exits.
    const url = `postgres://lb:${SECRET}@127.0.0.1:1/lb`;
    await withHost({ scratch, args: [`--job-store-url=${url}`] }, async (host) => {
      await host.client.bootstrap().catch(() => {});
      await host.status();
      const stderr = await host.stderr();
      assert.match(
        stderr,
        /"msg":"Option --job-store-url holds the job store's password, which every local user can read in ps: use PGPASSWORD or a PGPASSFILE, or job-store-url= in a config file only the server user can read \(0600\)"/,
      );
      assert.match(stderr, /postgres:\/\/lb:\*\*\*@127\.0\.0\.1:1\/lb/);
      assert.doesNotMatch(stderr, new RegExp(SECRET), "the password reached the log");
    });
  } finally {
    await Deno.remove(scratch, { recursive: true });
  }
});
