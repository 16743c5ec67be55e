import assert from "node:assert/strict";
import { runnerPaths } from "../../src/sandbox/runner_command.ts";
import { UserDirectory } from "../../src/sandbox/users.ts";
import { type HostProcess, withHost } from "../_support/host_process.ts";
import { jobRequest, submit } from "../_support/requests.ts";
import { ensureTestUsers } from "../_support/system_users.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const FIXTURES = new URL("./fixtures", import.meta.url).pathname;
const PLUGIN = "rewrites_runner_code";
const skip = await ensureTestUsers();

/** Every path under `root` (itself included), not following symlinks. */
function walk(root: string, out: string[] = []): string[] {
  out.push(root);
  if (Deno.lstatSync(root).isDirectory) {
    for (const entry of Deno.readDirSync(root)) walk(`${root}/${entry.name}`, out);
  }
  return out;
}

/** Runs `command` as `user`, as a job of that user would; whether it succeeded. */
async function asUser(user: string, command: string[]): Promise<boolean> {
  const account = new UserDirectory().lookup(user)!;
  const ids = [`--reuid=${account.uid}`, `--regid=${account.gid}`, "--clear-groups", "--"];
  const out = await new Deno.Command("/usr/bin/setpriv", {
    args: [...ids, ...command],
    stdout: "null",
    stderr: "null",
  }).output();
  return out.code === 0;
}

/** The pid and environment of the runner the host last started for `user`. */
async function runnerOf(host: HostProcess, user: string) {
  const log = await Deno.readTextFile(`${host.scratch}/log/${PLUGIN}.log`);
  const started = log.split("\n").filter(Boolean).map((line) => JSON.parse(line))
    .filter((line) => line.msg === "Runner started" && line.user === user).at(-1);
  const pid = Number(started.pid);
  const environ = await new Deno.Command("cat", { args: [`/proc/${pid}/environ`] }).output();
  const env = Object.fromEntries(
    new TextDecoder().decode(environ.stdout).split("\0").filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]),
  );
  return { pid, env };
}

/** A host on the fixture plugin, restarting runners 20 times sooner than by default. */
const HOST = {
  pluginsDir: FIXTURES,
  pluginName: PLUGIN,
  config: [],
  env: { LAUNCHBOX_TIME_SCALE: "0.05" },
};

async function attempts(host: HostProcess, user: string): Promise<Record<string, string>> {
  const job = await submit(host.client, user);
  const reply = await host.client.request(jobRequest(host.client, 3, user, String(job.id)));
  return JSON.parse(String((reply.jobs as Record<string, unknown>[])[0]!.statusMessage));
}

Deno.test({
  name:
    `A session-user plugin cannot rewrite its runner's code or cache, and a restarted runner runs none of it${
      skip ? ` (skipped: ${skip})` : ""
    }`,
  ignore: skip !== undefined,
  ...opts,
  async fn() {
    await withHost(HOST, async (host) => {
      await host.client.bootstrap();
      const first = await attempts(host, "lbtest_alice");
      // The sandbox refuses first (the OS would too, as the loop below shows).
      const refused = /^Requires write access to "[^"]*(runner-cache|src\/sandbox)[^"]*"/;
      assert.match(first.cache!, refused);
      assert.match(first.source!, refused);
      assert.equal(first.oldCache, "written", "its own directory is writable, and unused");

      const cache = `${host.scratch}/runner-cache/${PLUGIN}`;
      const { pid, env } = await runnerOf(host, "lbtest_alice");
      assert.equal(env.DENO_DIR, cache, "the runner's cache lies outside its instance");

      // What the plugin's sandbox refused, its user (any job of it) cannot do either.
      for (const path of [...walk(cache), ...runnerPaths().flatMap((root) => walk(root))]) {
        const isDir = Deno.statSync(path).isDirectory;
        const write = isDir ? ["touch", `${path}/forged`] : ["sh", "-c", `: >> "${path}"`];
        assert.ok(!(await asUser("lbtest_alice", write)), `lbtest_alice could write ${path}`);
      }

      Deno.kill(pid, "SIGKILL");
      let again: Record<string, string> | undefined;
      for (let tries = 0; tries < 100 && !again; tries++) {
        again = await attempts(host, "lbtest_alice").catch(() => undefined);
        if (!again) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.ok(again, "the restarted runner serves");
      assert.notEqual((await runnerOf(host, "lbtest_alice")).pid, pid);
      const instance = `${host.scratch}/instances/ns/lbtest_alice/lbtest_alice`;
      assert.throws(() => Deno.statSync(`${instance}/pwned`), Deno.errors.NotFound);
    });
  },
});

Deno.test({
  name: `A runner is refused, naming the path, when its user could write what it loads${
    skip ? ` (skipped: ${skip})` : ""
  }`,
  ignore: skip !== undefined,
  ...opts,
  async fn() {
    await withHost(HOST, async (host) => {
      await host.client.bootstrap();
      await attempts(host, "lbtest_bob");
      const alice = new UserDirectory().lookup("lbtest_alice")!;
      const emit = walk(`${host.scratch}/runner-cache/${PLUGIN}/gen`).find((p) =>
        p.endsWith("runner_main.ts.js")
      )!;
      await Deno.chown(emit, alice.uid, alice.gid);
      const reply = await host.client.request(
        jobRequest(host.client, 2, "lbtest_alice", "", { job: { command: "x", name: "x" } }),
      );
      assert.equal(reply.messageType, -1);
      assert.match(
        String(reply.errorMessage),
        new RegExp(
          `Cannot start plugin "${PLUGIN}" as "lbtest_alice": the runner loads ".*runner_main\\.ts\\.js", ` +
            `which "lbtest_alice" can write \\(owned by uid ${alice.uid}, mode 644\\)`,
        ),
      );
      await attempts(host, "lbtest_bob");
    });
  },
});
