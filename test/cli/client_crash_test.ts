import assert from "node:assert/strict";
import { withScratch } from "../_support/client_host.ts";
import { LAUNCHBOX } from "../_support/host_process.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const FIXTURES = new URL("../fixtures/plugins", import.meta.url).pathname;
const PLUGIN = "crashes_without_recover";
/** Long enough for a restart and its reconciliation; a hanging wait is killed then. */
const WAIT_LIMIT_MS = 60_000;

/** `launchbox client ARGS` that is killed (and so fails the test) if it outlives WAIT_LIMIT_MS. */
async function clientWithin(args: string[]): Promise<{ code: number; stdout: string }> {
  const output = await new Deno.Command(LAUNCHBOX, {
    args: ["client", ...args],
    stdin: "null",
    signal: AbortSignal.timeout(WAIT_LIMIT_MS),
  }).output();
  assert.equal(output.signal, null, `launchbox client ${args[0]} hung and was killed`);
  return { code: output.code, stdout: new TextDecoder().decode(output.stdout) };
}

Deno.test(
  "client submit --wait through the background host ends when the plugin crashes outside a request, with the job Failed naming the crash",
  opts,
  async () => {
    await withScratch(PLUGIN, async (client, scratch) => {
      const options = [`--plugin-name=${PLUGIN}`, `--scratch-path=${scratch}`];
      const waited = await clientWithin([
        "submit",
        "--command",
        "true",
        "--name",
        "boom",
        "--wait",
        `--plugins-dir=${FIXTURES}`,
        ...options,
      ]);
      assert.equal(waited.code, 1, "a Failed job without an exit code exits 1");
      const crash =
        `Plugin "${PLUGIN}" crashed: TypeError: Queue file is corrupt \\(at /\\S+/${PLUGIN}/mod\\.ts:\\d+:\\d+\\); ` +
        "the plugin does not implement recover\\(\\) to take it back";
      assert.match(
        waited.stdout,
        new RegExp(`^job 1 Pending\\n[\\s\\S]*job 1 Failed \\(${crash}\\)\\n$`),
      );
      const jobs = await client("jobs");
      assert.match(jobs.stdout, /^1\s+Failed\s+-\s+-\s+\S+\s+boom$/m);
      // The host is still serving: the instance came back for the next job.
      const next = await client("submit", "--command", "true", "--name", "fine");
      assert.equal(next.code, 0, next.stderr);
      assert.match(next.stdout, /^job 2 Running\n$/);
    }, { pluginsDir: FIXTURES });
  },
);
