import assert from "node:assert/strict";
import { runLaunchbox, withHost } from "../_support/host_process.ts";
import { collect, jobRequest, submit, waitForStatus } from "../_support/requests.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const ROOT = new URL("../../", import.meta.url).pathname;

/** Runs deno (the one running this test) in `cwd` with the plugin's own deno.json. */
async function deno(cwd: string, args: string[]): Promise<{ code: number; out: string }> {
  const output = await new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    stdin: "null",
    env: { NO_COLOR: "1" },
  }).output();
  const text = new TextDecoder();
  return { code: output.code, out: text.decode(output.stdout) + text.decode(output.stderr) };
}

async function scratchOutside(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "launchbox-new-" });
  assert.ok(!dir.startsWith(ROOT), "the plugin must live outside the checkout");
  return dir;
}

Deno.test(
  "launchbox new scaffolds a launcher plugin outside the checkout that type-checks, passes check and its conformance suite, and runs jobs",
  opts,
  async () => {
    const parent = await scratchOutside();
    try {
      const made = await runLaunchbox(["new", "queue", "--dir", parent]);
      assert.equal(made.code, 0, made.stderr);
      assert.match(made.stdout, /Created launcher plugin "queue" in .*\/queue:/);
      const dir = `${parent}/queue`;
      const checked = await runLaunchbox(["check", `--plugins-dir=${parent}`]);
      assert.equal(checked.code, 0, checked.stdout + checked.stderr);
      assert.match(checked.stdout, /^queue\s+0\.1\.0\s+launcher\s+session\s+host$/m);
      const typed = await deno(dir, ["task", "check"]);
      assert.equal(typed.code, 0, typed.out);
      const tested = await deno(dir, ["task", "test"]);
      assert.equal(tested.code, 0, tested.out);
      assert.match(tested.out, /queue conformance: workflows \.\.\. ok/);
      assert.match(
        tested.out,
        /Kill: a running job ends as Killed \(exit 137\), leaving nothing running \.\.\. ok/,
      );
      await withHost(
        { pluginsDir: parent, pluginName: "queue", config: [] },
        async ({ client }) => {
          await client.bootstrap();
          const job = await submit(client, "alice", { command: "echo hello from queue" });
          const done = await waitForStatus(client, "alice", String(job.id), "Finished");
          assert.equal(done.exitCode, 0);
          const out = await collect(
            client.openStream(jobRequest(client, 6, "alice", String(job.id), { outputType: 0 })),
          );
          assert.equal(
            out.filter((m) => !m.complete).map((m) => m.output).join(""),
            "hello from queue\n",
          );
        },
      );
    } finally {
      await Deno.remove(parent, { recursive: true });
    }
  },
);

Deno.test(
  "launchbox new --kind airflow scaffolds a bundle that passes check and its tests",
  opts,
  async () => {
    const parent = await scratchOutside();
    try {
      const made = await runLaunchbox(["new", "tasks", "--dir", parent, "--kind", "airflow"]);
      assert.equal(made.code, 0, made.stderr);
      const checked = await runLaunchbox(["check", `--plugins-dir=${parent}`]);
      assert.equal(checked.code, 0, checked.stdout + checked.stderr);
      assert.match(checked.stdout, /^tasks\s+0\.1\.0\s+airflow\s+namespace/m);
      const tested = await deno(`${parent}/tasks`, ["task", "test"]);
      assert.equal(tested.code, 0, tested.out);
      assert.match(tested.out, /2 passed/);
    } finally {
      await Deno.remove(parent, { recursive: true });
    }
  },
);

Deno.test("launchbox new refuses a bad name, a bad kind and an existing folder, exit 2", async () => {
  const parent = await scratchOutside();
  try {
    const bad = await runLaunchbox(["new", "My Plugin", "--dir", parent]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /Cannot create plugin "My Plugin": a name is lower-case letters/);
    const kind = await runLaunchbox(["new", "x", "--dir", parent, "--kind", "cron"]);
    assert.equal(kind.code, 2);
    assert.match(kind.stderr, /--kind must be launcher or airflow, got "cron"/);
    await Deno.mkdir(`${parent}/taken`);
    const taken = await runLaunchbox(["new", "taken", "--dir", parent]);
    assert.equal(taken.code, 2);
    assert.match(taken.stderr, /Cannot create plugin "taken": ".*\/taken" already exists/);
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});
