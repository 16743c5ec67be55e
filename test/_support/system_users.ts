import { runnerPaths } from "../../src/sandbox/runner_command.ts";
import { findSystemProgram } from "./system_programs.ts";

/** Accounts the tests create for plugins that run as the job's user (never real people's names). */
export const TEST_USERS = ["lbtest_alice", "lbtest_bob"] as const;

const ROOT = new URL("../../", import.meta.url).pathname;
/** Accounts this checkout's tests created, one name a line, for `make services-down`. */
export const CREATED_ACCOUNTS = `${ROOT}.tools/accounts`;

/**
 * Makes sure the test accounts exist (creating them with `useradd` as root, said on stderr
 * and recorded in {@linkcode CREATED_ACCOUNTS}) and can start a runner from this checkout,
 * and returns `undefined`, or the reason they cannot, for the test to be skipped with.
 */
export async function ensureTestUsers(): Promise<string | undefined> {
  const problem = await ensureTestAccounts();
  if (problem) return problem;
  for (const name of TEST_USERS) {
    const unreachable = await unreachableBy(name);
    if (unreachable) return unreachable;
  }
  return undefined;
}

/**
 * Makes sure the test accounts exist, as {@linkcode ensureTestUsers} does, for tests that
 * run programs as them but no runner from this checkout (so pass from a 0700 home).
 */
export async function ensureTestAccounts(): Promise<string | undefined> {
  if (Deno.uid() !== 0) return "creating test users needs root";
  const missing = ["useradd", "runuser"].find((name) => !findSystemProgram(name));
  if (missing) {
    return `creating test users needs ${missing}, found in neither PATH nor the sbin directories`;
  }
  for (const name of TEST_USERS) {
    const problem = await addUser(name);
    if (problem) return problem;
  }
  return undefined;
}

/** `useradd`, retried: test files run in parallel and may race for the passwd lock. */
async function addUser(name: string): Promise<string | undefined> {
  let stderr = "";
  for (let attempt = 0; attempt < 10; attempt++) {
    if (await run("id", ["-u", name])) return undefined;
    const made = await new Deno.Command(findSystemProgram("useradd")!, {
      args: ["--create-home", "--shell", "/bin/sh", name],
      stdout: "null",
      stderr: "piped",
    }).output();
    if (made.code === 0) {
      await Deno.mkdir(`${ROOT}.tools`, { recursive: true });
      await Deno.writeTextFile(CREATED_ACCOUNTS, `${name}\n`, { append: true });
      const said = `tests: created account ${name} (make services-down deletes it)\n`;
      await Deno.stderr.write(new TextEncoder().encode(said));
      return undefined;
    }
    stderr = new TextDecoder().decode(made.stderr).trim();
    await new Promise((resolve) => setTimeout(resolve, 100 + attempt * 100));
  }
  return `useradd ${name} failed: ${stderr}`;
}

/**
 * Why `user` cannot start a runner from this checkout (the first path it cannot reach:
 * the Deno binary to execute, or the source and config to read), or `undefined`. A
 * checkout under a private directory (a 0700 home) is the usual cause.
 */
async function unreachableBy(user: string): Promise<string | undefined> {
  const [runtime, ...sources] = runnerPaths();
  const wanted = [
    ["-x", await Deno.realPath(runtime!)],
    ...sources.map((path) => ["-r", path]),
    ["-r", `${ROOT}plugins`],
  ];
  for (const [test, path] of wanted) {
    if (!await run(findSystemProgram("runuser")!, ["-u", user, "--", "test", test!, path!])) {
      return `session-user tests need ${path} reachable by ${user}` +
        " (the checkout is in a directory that account cannot enter)";
    }
  }
  return undefined;
}

async function run(command: string, args: string[]): Promise<boolean> {
  const { code } = await new Deno.Command(command, { args, stdout: "null", stderr: "null" })
    .output();
  return code === 0;
}
