import assert from "node:assert/strict";
import { LauncherClient } from "../../src/launcher/launcher_client.ts";
import { submit, waitForStatus } from "../_support/requests.ts";

const BINARY = new URL("../../dist/launchbox", import.meta.url).pathname;
const built = await Deno.stat(BINARY).then(() => true, () => false);

const run = async (args: string[]) => {
  const output = await new Deno.Command(BINARY, { args, stdin: "null" }).output();
  const text = new TextDecoder();
  return { code: output.code, out: text.decode(output.stdout) + text.decode(output.stderr) };
};

Deno.test({
  name: `The compiled binary scaffolds, checks and runs a plugin outside its folder${
    built ? "" : " (skipped: no dist/launchbox; bin/build needs DENORT_BIN here)"
  }`,
  ignore: !built,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const parent = await Deno.makeTempDir({ prefix: "launchbox-compiled-outside-" });
    try {
      const made = await run(["new", "queue", "--dir", parent]);
      assert.equal(made.code, 0, made.out);
      const config = JSON.parse(await Deno.readTextFile(`${parent}/queue/deno.json`));
      await Deno.stat(config.imports["@launchbox/sdk"]); // the SDK sources it points at exist
      const checked = await run(["check", `--plugins-dir=${parent}`]);
      assert.equal(checked.code, 0, checked.out);
      const child = new Deno.Command(BINARY, {
        args: [
          "--heartbeat-interval-seconds=0",
          "--plugin-name=queue",
          `--plugins-dir=${parent}`,
          `--scratch-path=${parent}/scratch`,
        ],
        stdin: "piped",
        stdout: "piped",
        stderr: "null",
      }).spawn();
      const client = new LauncherClient(child.stdout, child.stdin);
      await client.bootstrap();
      const job = await submit(client, "alice", { command: "echo compiled" });
      const done = await waitForStatus(client, "alice", String(job.id), "Finished");
      assert.equal(done.exitCode, 0);
      await client.close();
      await child.status;
    } finally {
      await Deno.remove(parent, { recursive: true });
    }
  },
});
