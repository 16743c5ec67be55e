/**
 * At run_as host every runner has the host's uid, so nobody else needs to reach the
 * scratch path or the instances below it: both are 0700 after a run, even when the
 * scratch path existed with a wider mode (made by a package, say).
 */
import assert from "node:assert/strict";
import { withHost } from "../_support/host_process.ts";
import { submit } from "../_support/requests.ts";

const mode = (path: string) => (Deno.statSync(path).mode ?? 0) & 0o777;

Deno.test({
  name: "At run_as host the scratch path and the instances root are narrowed to 0700",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const scratch = await Deno.makeTempDir({ prefix: "launchbox-host-dirs-" });
    try {
      await Deno.chmod(scratch, 0o755);
      await withHost({ scratch }, async (host) => {
        await host.client.bootstrap();
        await submit(host.client, "alice");
        assert.equal(mode(`${scratch}/instances`).toString(8), "700", "the instances root");
        assert.equal(mode(scratch).toString(8), "700", "the scratch path");
      });
    } finally {
      await Deno.remove(scratch, { recursive: true });
    }
  },
});
