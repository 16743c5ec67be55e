import assert from "node:assert/strict";
import { LAUNCHBOX } from "../_support/host_process.ts";
import { ROOT } from "./_doc_paths.ts";

/**
 * Issue 13's "Done when": a plugin written in a fresh folder outside the checkout by
 * following only docs/plugins.md. The test runs the guide's own shell blocks, in order,
 * and makes the one change the guide asks for; nothing else is done to the plugin.
 */
const GUIDE = `${ROOT}docs/plugins.md`;
const opts = { sanitizeOps: false, sanitizeResources: false };
/** The guide's placeholder for the author's plugins folder. */
const PLUGINS_FOLDER = "~/launchbox-plugins";

/** The command lines of each ```sh block of the guide, without their comments. */
function shellBlocks(markdown: string): string[][] {
  return [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((block) =>
    block[1]!.split("\n").map((line) => line.replace(/\s+#\s.*$/, "").trim()).filter(Boolean)
  );
}

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the guide's lines as an author would type them, in a shell: `launchbox` is this
 * checkout's, `deno` the one running the test, the plugins folder `parent`, and every
 * client command but `demo` gets a private `--scratch-path`.
 */
class Author {
  #cwd = Deno.cwd();
  readonly #parent: string;
  readonly #scratch: string;

  constructor(parent: string, scratch: string) {
    this.#parent = parent;
    this.#scratch = scratch;
  }

  async run(line: string): Promise<Run> {
    let command = line.replaceAll(PLUGINS_FOLDER, this.#parent);
    const cd = /^cd (\S+)$/.exec(command);
    if (cd) {
      this.#cwd = cd[1]!;
      return { code: 0, stdout: "", stderr: "" };
    }
    if (/^launchbox client (?!demo)/.test(command)) command += ` --scratch-path=${this.#scratch}`;
    command = command.replace(/^launchbox /, `${LAUNCHBOX} `).replace(
      /^deno /,
      `${Deno.execPath()} `,
    );
    const output = await new Deno.Command("/bin/sh", {
      args: ["-c", command],
      cwd: this.#cwd,
      stdin: "null",
      env: { NO_COLOR: "1" },
      signal: AbortSignal.timeout(120_000),
    }).output();
    const text = new TextDecoder();
    const run = {
      code: output.code,
      stdout: text.decode(output.stdout),
      stderr: text.decode(output.stderr),
    };
    return run;
  }

  /** Runs `line` and asserts it succeeded. */
  async ok(line: string): Promise<Run> {
    const run = await this.run(line);
    assert.equal(run.code, 0, `${line}\n${run.stdout}${run.stderr}`);
    return run;
  }
}

/** Replaces `before` with `after` in a file, failing when the file no longer holds `before`. */
async function edit(path: string, before: string, after: string): Promise<void> {
  const text = await Deno.readTextFile(path);
  assert.ok(text.includes(before), `${path} holds ${JSON.stringify(before)}`);
  await Deno.writeTextFile(path, text.replace(before, after));
}

Deno.test(
  "A plugin made by following docs/plugins.md outside the checkout type-checks, passes check and its conformance suite, and runs jobs through launchbox client that outlive each command",
  opts,
  async () => {
    const parent = await Deno.makeTempDir({ prefix: "launchbox-from-zero-" });
    const scratch = await Deno.makeTempDir({ prefix: "launchbox-from-zero-scratch-" });
    assert.ok(!parent.startsWith(ROOT), "the plugin lives outside the checkout");
    const author = new Author(parent, scratch);
    const [scaffold, checks, check, client, ...rest] = shellBlocks(await Deno.readTextFile(GUIDE));
    assert.deepEqual(rest, [], "the guide's shell blocks are the four this test follows");
    try {
      // 1. Make the folder.
      assert.deepEqual(scaffold, [`launchbox new myqueue --dir ${PLUGINS_FOLDER}`]);
      await author.ok(scaffold![0]!);
      const dir = `${parent}/myqueue`;

      // 4. The first change: the status message names the machine…
      await edit(
        `${dir}/mod.ts`,
        'statusMessage: "Running"',
        "statusMessage: `Running on ${Deno.hostname()}`",
      );
      const refused = await author.run(client![1]!);
      assert.equal(refused.code, 1);
      assert.match(
        refused.stderr,
        /Plugin "myqueue" is not permitted to query system information "hostname" \(add "hostname" to permissions\.sys in plugin\.yaml\)/,
      );
      await author.ok(client![4]!); // host stop: the next host loads the edited plugin
      await Deno.remove(scratch, { recursive: true }); // section 8 starts from job 1
      await Deno.mkdir(scratch, { mode: 0o700 });
      // …which the manifest grants.
      await edit(`${dir}/plugin.yaml`, "permissions:\n", 'permissions:\n  sys: ["hostname"]\n');
      // The in-process conformance suite runs with deno test's own permissions.
      await edit(
        `${dir}/deno.json`,
        "--allow-run=/bin/sh,ps",
        "--allow-run=/bin/sh,ps --allow-sys=hostname",
      );

      // The checks of section 1, and section 7's check.
      assert.deepEqual(checks!.map((line) => line.split(" ").slice(0, 2).join(" ")), [
        "cd ~/launchbox-plugins/myqueue",
        "deno task",
        "deno task",
        "launchbox check",
      ]);
      for (const line of checks!) {
        const run = await author.ok(line);
        if (line.endsWith("task test")) assert.match(run.stdout, /myqueue conformance/);
        if (line.startsWith("launchbox check")) {
          assert.match(run.stdout, /^myqueue\s+0\.1\.0\s+launcher\s+session\s+host$/m);
        }
      }
      assert.match((await author.ok(check![0]!)).stdout, /^myqueue\s+0\.1\.0\s+launcher/m);

      // 8. Run it: the demo, then jobs that outlive the commands that made them.
      const [demo, submit, jobs, output, stop] = client!;
      assert.match((await author.ok(demo!)).stdout, /job 2 "notebook" Finished, exit code 143/);
      const submitted = await author.ok(submit!);
      assert.match(submitted.stdout, /^job 1 Running\n$/);
      assert.match(submitted.stderr, /started a background host/);
      const listed = await author.ok(jobs!);
      assert.match(listed.stdout, /^1\s+Running\s+-\s+\d+\s+\S+\s+sleep 8; echo done$/m);
      assert.doesNotMatch(listed.stderr, /started a background host/, "the host is reused");
      const followed = await author.ok(jobs!.replace(" jobs ", " status 1 "));
      assert.match(
        followed.stdout,
        new RegExp(`job 1 Running \\(Running on ${Deno.hostname()}\\)`),
      );
      assert.match(followed.stdout, /job 1 Finished \(Exited with 0\)\n$/);
      assert.match((await author.ok(jobs!)).stdout, /^1\s+Finished\s+0\s/m);
      assert.equal((await author.ok(output!)).stdout, "done\n");
      // The guide's word that jobs outlive `client host stop` (the scaffold's recover).
      await author.ok(submit!.replace("sleep 8; echo done", "sleep 4; echo again"));
      const stopped = await author.ok(stop!);
      assert.match(stopped.stdout, /^Stopped the background host .*\n1 unfinished job \(2\) stays/);
      const again = await author.ok(jobs!.replace(" jobs ", " status 2 "));
      assert.match(again.stdout, /job 2 Finished \(Exited with 0\)\n$/);
      assert.equal((await author.ok(output!.replace("output 1", "output 2"))).stdout, "again\n");
      assert.match((await author.ok(stop!)).stdout, /^Stopped the background host/);
    } finally {
      await author.run(`${client![4]} --stop-jobs`).catch(() => {});
      await Deno.remove(parent, { recursive: true });
      await Deno.remove(scratch, { recursive: true });
    }
  },
);
