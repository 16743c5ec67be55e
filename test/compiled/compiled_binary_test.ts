import assert from "node:assert/strict";
import { LauncherClient } from "../../src/launcher/launcher_client.ts";
import { submit, waitForStatus } from "../_support/requests.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const BINARY = `${ROOT}dist/launchbox`;

/** Builds dist/launchbox when a denort is available; says why not otherwise. */
async function prepareBinary(): Promise<string | undefined> {
  if (await exists(BINARY)) return undefined;
  if (!Deno.env.get("DENORT_BIN")) {
    return "no dist/launchbox and no DENORT_BIN: deno compile cannot download denort here";
  }
  const build = await new Deno.Command(`${ROOT}bin/build`, { stdout: "null", stderr: "piped" })
    .output();
  if (build.code !== 0) return `bin/build failed: ${new TextDecoder().decode(build.stderr).trim()}`;
  return undefined;
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

const skipReason = await prepareBinary();

Deno.test({
  name: `The compiled binary serves a Launcher session with a runtime-loaded plugin${
    skipReason ? ` (skipped: ${skipReason})` : ""
  }`,
  ignore: skipReason !== undefined,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const scratch = await Deno.makeTempDir({ prefix: "launchbox-compiled-" });
    await Deno.writeTextFile(
      `${scratch}/launcher.inmemory.conf`,
      "pending-ms=50\nrun-ms=300\ntick-ms=50\n",
    );
    const child = new Deno.Command(BINARY, {
      args: [
        "--heartbeat-interval-seconds=0",
        "--plugin-name=inmemory",
        `--scratch-path=${scratch}`,
        `--logging-dir=${scratch}/log`,
        `--config-file=${scratch}/launcher.inmemory.conf`,
      ],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const client = new LauncherClient(child.stdout, child.stdin);
    try {
      assert.equal((await client.bootstrap()).messageType, 1);
      const job = await submit(client, "alice");
      await waitForStatus(client, "alice", String(job.id), "Finished");
    } finally {
      await client.close();
      assert.equal((await child.status).code, 0);
      await child.stderr.cancel();
      await Deno.remove(scratch, { recursive: true });
    }
  },
});
