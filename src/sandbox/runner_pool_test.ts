import assert from "node:assert/strict";
import type { RunnerCommand } from "./runner_command.ts";
import { RunnerPool } from "./runner_pool.ts";

/** Stand-in runners: `cat` waits on its stdin as an idle runner waits for its init. */
const CAT: RunnerCommand = { command: "cat", args: [], env: { PATH: "/usr/bin:/bin" } };

function pool(size: number, starts: string[] = []) {
  return new RunnerPool({
    command: CAT,
    cwd: "/",
    size,
    limit: (task) => {
      starts.push("start");
      return task();
    },
  });
}

/** Waits (bounded) until `check` holds; the bound only turns a hang into a failure. */
async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

Deno.test("RunnerPool hands out a started runner of its own command and starts a replacement through the limiter", async () => {
  const starts: string[] = [];
  await using runners = pool(2, starts);
  runners.fill();
  await until(() => runners.idle === 2, "two idle runners");
  const child = runners.take({ ...CAT, env: { PATH: "/usr/bin:/bin" } });
  assert.ok(child);
  await until(() => runners.idle === 2, "the replacement");
  assert.equal(starts.length, 3);
  // The runner is the caller's: it answers on its stdio.
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode("init\n"));
  await writer.close();
  assert.equal(new TextDecoder().decode((await child.output()).stdout), "init\n");
});

Deno.test("RunnerPool never hands a runner to another command (another uid, environment or limit)", async () => {
  await using runners = pool(1);
  runners.fill();
  await until(() => runners.idle === 1, "an idle runner");
  assert.equal(runners.take({ ...CAT, args: ["-u"] }), undefined);
  assert.equal(runners.take({ ...CAT, env: { PATH: "/bin" } }), undefined);
  assert.equal(runners.idle, 1);
});

Deno.test("RunnerPool skips a runner that died while idle", async () => {
  await using runners = pool(1);
  runners.fill();
  await until(() => runners.idle === 1, "an idle runner");
  const doomed = runners.take(CAT)!;
  doomed.kill("SIGKILL");
  await doomed.status;
  await doomed.stdin.close().catch(() => {});
  await Promise.all([doomed.stdout.cancel(), doomed.stderr.cancel()]);
  await until(() => runners.idle === 1, "the replacement");
  const [replacement] = await catChildren(1);
  assert.notEqual(replacement, doomed.pid);
  Deno.kill(-replacement!, "SIGKILL");
  await until(() => runners.idle === 0, "the replacement's death to be noticed");
  // The dead one is not handed out; taking starts another.
  assert.equal(runners.take(CAT), undefined);
  await until(() => runners.idle === 1, "a runner after the take");
});

Deno.test("RunnerPool of size 0 starts nothing, and a disposed pool ends its idle runners", async () => {
  const starts: string[] = [];
  const none = pool(0, starts);
  none.fill();
  assert.equal(none.take(CAT), undefined);
  assert.deepEqual(starts, []);
  await none[Symbol.asyncDispose]();
  const runners = pool(2);
  runners.fill();
  await until(() => runners.idle === 2, "two idle runners");
  await runners[Symbol.asyncDispose]();
  assert.equal(runners.idle, 0);
  assert.equal(runners.take(CAT), undefined);
});

/** The pids of this process's `cat` children (the idle runners), `count` of them. */
async function catChildren(count: number): Promise<number[]> {
  const out = await new Deno.Command("ps", {
    args: ["-o", "pid=,args=", "--ppid", String(Deno.pid)],
  }).output();
  const pids = new TextDecoder().decode(out.stdout).split("\n")
    .filter((line) => /\bcat$/.test(line.trim()))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
  assert.equal(pids.length, count);
  return pids;
}
