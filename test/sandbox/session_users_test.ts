import assert from "node:assert/strict";
import { type SystemUser, UserDirectory } from "../../src/sandbox/users.ts";
import { ensureTestUsers, TEST_USERS } from "../_support/system_users.ts";
import { job, startFixture } from "./_runner.ts";

const skip = await ensureTestUsers();

/** The real uid of a running process (through ps: reading /proc needs --allow-all). */
async function uidOfProcess(pid: number): Promise<number> {
  const out = await new Deno.Command("ps", { args: ["-o", "ruid=", "-p", String(pid)] }).output();
  return Number(new TextDecoder().decode(out.stdout).trim());
}

Deno.test({
  name:
    `Two session-user instances run as separate processes under their users' uids, each in its own directory${
      skip ? ` (skipped: ${skip})` : ""
    }`,
  ignore: skip !== undefined,
  async fn() {
    const scratch = await Deno.makeTempDir();
    const instancesRoot = `${scratch}/instances`;
    const [alice, bob] = TEST_USERS.map((name) => new UserDirectory().lookup(name)!);
    const startAs = (user: SystemUser) =>
      startFixture("writes_as_session_user", {
        instancesRoot,
        instanceKey: `${user.group}/${user.name}`,
        user,
      });
    try {
      await using first = await startAs(alice!);
      await using second = await startAs(bob!);
      for (const [runner, user] of [[first, alice!], [second, bob!]] as const) {
        const signal = AbortSignal.timeout(30_000);
        const reply = await runner.remote.call("submitJob", [job("1", "x")], signal);
        assert.deepEqual(reply, { status: "Running", host: runner.instanceDir });
        assert.equal(await uidOfProcess(runner.remote.pid), user.uid);
        const file = await Deno.stat(`${runner.instanceDir}/1.txt`);
        assert.equal(file.uid, user.uid, `${user.name}'s runner wrote as ${user.name}`);
        assert.equal(file.gid, user.gid);
        const dir = await Deno.stat(runner.instanceDir);
        assert.equal(dir.uid, user.uid);
        assert.equal(dir.mode! & 0o777, 0o700);
      }
      assert.notEqual(first.remote.pid, second.remote.pid);
      assert.notEqual(first.instanceDir, second.instanceDir);
      assert.notEqual(alice!.uid, bob!.uid);
    } finally {
      await Deno.remove(scratch, { recursive: true });
    }
  },
});
