/**
 * The README's shell commands, run as written from this checkout, in a shell with
 * `PATH=/usr/local/bin:/usr/bin:/bin` (and the directory of the Deno running the tests):
 * each ```sh block runs as one session, a line at a time, and each command must exit as the
 * README says with the output it describes. A command this file does not know fails the
 * test: a new README command gets its expectation here. Commands that cannot run here (the
 * whole suite, a default scratch path already in use) skip, saying why.
 */
import assert from "node:assert/strict";
import { commandOf, type ShellBlock, shellBlocks } from "./_readme_blocks.ts";
import { ROOT } from "./_doc_paths.ts";
import { type LineResult, runSession, type SessionOptions } from "./_shell_session.ts";
import { findSystemProgram } from "../_support/system_programs.ts";

const README = await Deno.readTextFile(`${ROOT}README.md`);
const BLOCKS = shellBlocks(README);
const PATH = `/usr/local/bin:/usr/bin:/bin:${Deno.execPath().replace(/\/[^/]+$/, "")}`;
const opts = { sanitizeOps: false, sanitizeResources: false };
/** The machine's TLS and proxy settings: a fresh HOME's first run downloads packages. */
const PASSED_ON = ["DENO_CERT", "DENO_TLS_CA_STORE", "SSL_CERT_FILE", "SSL_CERT_DIR"]
  .concat(["NODE_EXTRA_CA_CERTS", "HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY"]);

/** A new user's environment: HOME, the minimal PATH, no colour (output is read here). */
function sessionEnv(home: string): Record<string, string> {
  const env: Record<string, string> = { HOME: home, PATH, NO_COLOR: "1" };
  for (const name of PASSED_ON) {
    const value = Deno.env.get(name);
    if (value !== undefined) env[name] = value;
  }
  // Deno reads its CA file from DENO_CERT only.
  if (!env.DENO_CERT && env.SSL_CERT_FILE) env.DENO_CERT = env.SSL_CERT_FILE;
  return env;
}

/** What a command must do: its exit code and a pattern its stdout (or stderr) matches. */
interface Expect {
  code?: number;
  stdout?: RegExp;
  stderr?: RegExp;
}

/** Every README command, by its text without comments, and what it must do. */
const EXPECTED: Record<string, Expect | { skip: string }> = {
  "make demo": { stdout: /^The host exited cleanly\. Its log and job store are in \//m },
  "make test": { skip: "it runs the whole suite, this test included" },
  "bin/launchbox client submit --plugin-name local --command 'echo hello; sleep 5' --wait": {
    stdout: /job 1 Finished \(Completed\)\n$/,
  },
  "bin/launchbox client submit --plugin-name local --command 'sleep 300' --name nap --cpus 1": {
    stdout: /^job 2 \w+\n$/,
  },
  "bin/launchbox client jobs --plugin-name local": {
    stdout:
      /^ID +STATUS +EXIT +SCHEDULER_ID +USER +NAME\n1 +Finished +0 [^\n]*\n2 +Running +- [^\n]* nap\n/,
  },
  "bin/launchbox client output 1 --plugin-name local": { stdout: /^hello\n/ },
  "bin/launchbox client control 2 stop --plugin-name local": { stdout: /^Job Stop successful\n/ },
  "bin/launchbox client cluster --plugin-name local": { stdout: /^QUEUE +DEFAULT\nlocal +yes\n/ },
  "bin/launchbox client host stop --plugin-name local": {
    stdout: /^Stopped the background host \(pid \d+\) on \//,
  },
  "bin/launchbox new myplugin --dir ~/launchbox-plugins": { stdout: /myplugin/ },
  "deno=$(bin/ensure-deno)": {},
  '(cd ~/launchbox-plugins/myplugin && "$deno" task check && "$deno" task test)': {
    stdout: /ok \| \d+ passed .*\| 0 failed/,
  },
  "bin/launchbox check --plugins-dir ~/launchbox-plugins": { stdout: /myplugin/ },
};

function assertAsExpected(results: readonly LineResult[]): void {
  for (const result of results) {
    const expect = EXPECTED[commandOf(result.line)] as Expect;
    const said =
      `${result.line}\nexit ${result.code}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
    assert.equal(result.code, expect.code ?? 0, said);
    if (expect.stdout) assert.match(result.stdout, expect.stdout, said);
    if (expect.stderr) assert.match(result.stderr, expect.stderr, said);
  }
}

function block(heading: string): ShellBlock {
  const found = BLOCKS.find((candidate) => candidate.heading === heading);
  assert.ok(found, `README has a sh block under "${heading}"`);
  return found;
}

Deno.test("every command of the README's sh blocks has an expectation here", () => {
  const commands = BLOCKS.flatMap((found) => found.lines.map(commandOf));
  assert.deepEqual(commands.filter((command) => !(command in EXPECTED)), []);
  assert.deepEqual(Object.keys(EXPECTED).filter((command) => !commands.includes(command)), []);
});

Deno.test(
  "the README's two commands: make demo runs as written (make test is skipped: it runs the " +
    "whole suite, this test included)",
  opts,
  async () => {
    const lines = block("Two commands").lines.filter((line) => {
      const expect = EXPECTED[commandOf(line)];
      return !(expect && "skip" in expect);
    });
    assert.deepEqual(lines.map(commandOf), ["make demo"]);
    const home = await Deno.makeTempDir({ prefix: "launchbox-readme-home-" });
    try {
      const results = await runSession(lines, {
        cwd: ROOT,
        env: sessionEnv(home),
        signal: AbortSignal.timeout(240_000),
      });
      // The demo keeps its log and job store for the reader: not this test's.
      const kept = results[0]?.stdout.match(/job store are in (\/tmp\/launchbox-demo-\w+)/)?.[1];
      if (kept) await Deno.remove(kept, { recursive: true });
      assertAsExpected(results);
    } finally {
      await Deno.remove(home, { recursive: true });
    }
  },
);

/**
 * A fresh default scratch path for the client, so that job IDs start at 1 as the README's
 * commands assume. As root, a tmpfs covers /var/lib/launchbox in a mount namespace of the
 * session's own (other checkouts' clients may use the real one meanwhile). Else an unused
 * one, made by the commands and removed after; else the reason they cannot run here.
 */
async function freshClientScratch(): Promise<Partial<SessionOptions> | string> {
  const uid = Deno.uid()!;
  const top = uid === 0 ? "/var/lib/launchbox" : `/var/tmp/launchbox-${uid}`;
  const scratch = uid === 0 ? `${top}/client/local` : `${top}/local`;
  const unshare = findSystemProgram("unshare");
  if (uid === 0 && unshare && await exists(top) && await canUnshare(unshare)) {
    return {
      wrap: [unshare, "--mount", "--propagation", "private"],
      prelude: [`mount -t tmpfs -o mode=0700 launchbox-readme ${top}`],
    };
  }
  if (!await exists(scratch)) return { finally: [`rm -rf ${await exists(top) ? scratch : top}`] };
  return `the default scratch path ${scratch} is in use: its job IDs would not start at 1`;
}

/** Whether this host lets root make a mount namespace (a container may not). */
async function canUnshare(unshare: string): Promise<boolean> {
  const args = ["--mount", "--propagation", "private", "true"];
  const { code } = await new Deno.Command(unshare, { args, stdout: "null", stderr: "null" })
    .output();
  return code === 0;
}

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

const scratch = await freshClientScratch();

Deno.test({
  name: `the README's client commands run as written with the defaults${
    typeof scratch === "string" ? ` (skipped: ${scratch})` : ""
  }`,
  ignore: typeof scratch === "string",
  ...opts,
  async fn() {
    const session = scratch as Partial<SessionOptions>;
    const { lines } = block("Trying a plugin without Workbench");
    const home = await Deno.makeTempDir({ prefix: "launchbox-readme-home-" });
    try {
      assertAsExpected(
        await runSession(lines, {
          ...session,
          cwd: ROOT,
          env: sessionEnv(home),
          finally: [
            "bin/launchbox client host stop --plugin-name local --stop-jobs",
            ...session.finally ?? [],
          ],
          signal: AbortSignal.timeout(240_000),
        }),
      );
    } finally {
      await Deno.remove(home, { recursive: true });
    }
  },
});

Deno.test("the README's plugin commands scaffold, test and check a plugin in ~", opts, async () => {
  const { lines } = block("Writing a plugin");
  const home = await Deno.makeTempDir({ prefix: "launchbox-readme-home-" });
  try {
    const env = sessionEnv(home);
    assertAsExpected(
      await runSession(lines, { cwd: ROOT, env, signal: AbortSignal.timeout(240_000) }),
    );
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
