/** Accounts the tests create for plugins that run as the job's user (never real people's names). */
export const TEST_USERS = ["lbtest_alice", "lbtest_bob"] as const;

/**
 * Makes sure the test accounts exist (creating them with `useradd` as root) and returns
 * `undefined`, or the reason they cannot exist here, for the test to be skipped with.
 */
export async function ensureTestUsers(): Promise<string | undefined> {
  if (Deno.uid() !== 0) return "creating test users needs root";
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
    const exists = await new Deno.Command("id", {
      args: ["-u", name],
      stdout: "null",
      stderr: "null",
    }).output();
    if (exists.code === 0) return undefined;
    const made = await new Deno.Command("useradd", {
      args: ["--create-home", "--shell", "/bin/sh", name],
      stdout: "null",
      stderr: "piped",
    }).output();
    if (made.code === 0) return undefined;
    stderr = new TextDecoder().decode(made.stderr).trim();
    await new Promise((resolve) => setTimeout(resolve, 100 + attempt * 100));
  }
  return `useradd ${name} failed: ${stderr}`;
}
