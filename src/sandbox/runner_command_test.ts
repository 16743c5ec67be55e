import assert from "node:assert/strict";
import { PRLIMIT, RUNNER_MIN_MEMORY_MB, SETPRIV, SETSID } from "./constants.ts";
import { FD_CLOSER } from "./inherited_fds.ts";
import { runnerCommand, runnerPaths } from "./runner_command.ts";
import type { SystemUser } from "./users.ts";

const ALICE: SystemUser = {
  name: "alice",
  uid: 1001,
  gid: 100,
  home: "/home/alice",
  group: "users",
  groups: [100, 50],
};
const everything = () => true;
const nothing = () => false;
/** util-linux without `setsid`: the runner's process group then comes from the spawner. */
const noSetsid = (path: string) => path !== SETSID;

Deno.test("runnerCommand starts the runner through setsid, which gives it a session of its own", () => {
  const { command, args, ownSession } = runnerCommand({ instanceDir: "/s/shared" }, everything);
  assert.equal(command, SETSID);
  assert.equal(args[0], SETPRIV, "setsid runs first, as root, then execs setpriv");
  assert.equal(ownSession, true);
  const without = runnerCommand({ instanceDir: "/s/shared" }, noSetsid);
  assert.equal(without.ownSession, false, "then the spawner starts it detached");
});

Deno.test("runnerCommand wraps the runner in setpriv --pdeathsig KILL, in its own runner mode", () => {
  const { command, args } = runnerCommand({ instanceDir: "/s/shared" }, noSetsid);
  assert.equal(command, SETPRIV);
  assert.deepEqual(args.slice(0, 3), ["--pdeathsig", "KILL", "--"]);
  assert.equal(args[3], Deno.execPath());
  assert.ok(args.includes("--unstable-worker-options"), "the ceiling flags come along");
  assert.ok(args.at(-1)!.endsWith("/src/sandbox/runner_main.ts"));
});

Deno.test("runnerCommand caps memory with prlimit, never below the floor Deno needs", () => {
  const mib = 1024 * 1024;
  const small = runnerCommand({ instanceDir: "/s/shared", memoryMb: 256 }, noSetsid);
  assert.deepEqual(small.args.slice(3, 6), [PRLIMIT, `--data=${RUNNER_MIN_MEMORY_MB * mib}`, "--"]);
  const big = runnerCommand({ instanceDir: "/s/shared", memoryMb: 4096 }, everything);
  assert.ok(big.args.includes(`--data=${4096 * mib}`));
});

Deno.test("runnerCommand starts a session user's runner with its uid, gid and groups", {
  ignore: Deno.uid() !== 0,
}, () => {
  const { args, env } = runnerCommand(
    { instanceDir: "/s/ns/users/alice", user: ALICE, denoDir: "/s/runner-cache" },
    noSetsid,
  );
  assert.deepEqual(args.slice(0, 7), [
    "--pdeathsig",
    "KILL",
    "--reuid=1001",
    "--regid=100",
    "--groups=100,50",
    "--no-new-privs",
    "--",
  ]);
  assert.equal(env.HOME, "/home/alice");
  assert.equal(env.USER, "alice");
  assert.equal(env.DENO_DIR, "/s/runner-cache", "the host's cache, outside the instance");
});

Deno.test("runnerCommand refuses a session user without setpriv, or without root", () => {
  const expected = Deno.uid() === 0 ? /setpriv is missing/ : /needs Launchbox to run as root/;
  assert.throws(
    () => runnerCommand({ instanceDir: "/s/ns/users/alice", user: ALICE }, nothing),
    (error: Error) =>
      error instanceof RangeError &&
      error.message.startsWith('Cannot start a runner as "alice"') &&
      expected.test(error.message),
  );
});

Deno.test("runnerCommand without util-linux runs the runner directly with a clean environment", () => {
  const { command, env } = runnerCommand({ instanceDir: "/s/shared", memoryMb: 2048 }, nothing);
  assert.equal(command, Deno.execPath());
  assert.deepEqual(
    Object.keys(env).sort().filter((k) => !["HOME", "LANG", "DENO_DIR"].includes(k)),
    ["MALLOC_ARENA_MAX", "NO_COLOR", "PATH"],
  );
});

Deno.test({
  name:
    `runnerCommand passes on the variables the manifest lets a plugin read, never over the runner's own${
      Deno.uid() === 0 ? "" : " (skipped: a runner as another user needs root)"
    }`,
  ignore: Deno.uid() !== 0,
  fn: () => {
    Deno.env.set("LB_TEST_PASSED", "/etc/slurm-test/slurm.conf");
    try {
      const { env } = runnerCommand({
        user: ALICE,
        instanceDir: "/s/alice",
        denoDir: "/s/runner-cache",
        passEnv: ["LB_TEST_PASSED", "HOME", "LB_TEST_UNSET"],
      }, everything);
      assert.equal(env.LB_TEST_PASSED, "/etc/slurm-test/slurm.conf");
      assert.equal(env.HOME, ALICE.home, "the job user's HOME, not the host's");
      assert.ok(!("LB_TEST_UNSET" in env));
      const unlisted = runnerCommand({ instanceDir: "/s/shared" }, everything).env;
      assert.ok(!("LB_TEST_PASSED" in unlisted), "only listed variables pass");
    } finally {
      Deno.env.delete("LB_TEST_PASSED");
    }
  },
});

Deno.test("runnerCommand refuses a session user's runner without a prepared cache", {
  ignore: Deno.uid() !== 0,
}, () => {
  assert.throws(
    () => runnerCommand({ instanceDir: "/s/ns/users/alice", user: ALICE }, everything),
    /Cannot start a runner as "alice": no prepared Deno cache was given/,
  );
});

Deno.test("runnerPaths lists the runtime, the root-run wrappers, the source tree and the cache", () => {
  const paths = runnerPaths("/s/runner-cache");
  assert.equal(paths[0], Deno.execPath());
  assert.ok([FD_CLOSER, SETSID, SETPRIV, PRLIMIT].every((wrapper) => paths.includes(wrapper)));
  assert.ok(paths.some((path) => path.endsWith("/src")));
  assert.ok(paths.includes("/s/runner-cache"));
});
