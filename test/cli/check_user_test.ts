import assert from "node:assert/strict";
import { runLaunchbox } from "../_support/host_process.ts";
import { ensureTestUsers, TEST_USERS } from "../_support/system_users.ts";
import { UserDirectory } from "../../src/sandbox/users.ts";

const skip = await ensureTestUsers();
const FIXTURE = new URL("../fixtures/plugins/writes_as_session_user", import.meta.url).pathname;
const SDK = new URL("../../src/sdk/mod.ts", import.meta.url).href;

Deno.test("check --user refuses an unknown user with a usage error", async () => {
  const { code, stderr } = await runLaunchbox(["check", "--user", "lbtest_nobody_here"]);
  assert.equal(code, 2);
  assert.match(stderr, /Cannot check as "lbtest_nobody_here" \(--user\): no such system user/);
});

Deno.test("check --user passes the caller's own account for the bundled session-user plugins", async () => {
  const me = new UserDirectory().byUid(Deno.uid()!)!.name;
  const { code, stdout, stderr } = await runLaunchbox(["check", `--user=${me}`]);
  assert.equal(code, 0, stdout + stderr);
  for (const plugin of ["local", "slurm"]) {
    assert.match(stdout, new RegExp(`^  ${plugin}: ok: ${me} is this check's own user`, "m"));
  }
});

Deno.test({
  name: `check --user names the path and the directory that keep a user from a session-user plugin${
    skip ? ` (skipped: ${skip})` : ""
  }`,
  ignore: skip !== undefined,
  async fn() {
    const base = Deno.realPathSync(await Deno.makeTempDir({ prefix: "launchbox-check-user-" }));
    try {
      await Deno.chmod(base, 0o755);
      const hidden = `${base}/private`;
      const dir = `${hidden}/plugins/writes_as_session_user`;
      await Deno.mkdir(dir, { recursive: true, mode: 0o755 });
      await Deno.chmod(`${hidden}/plugins`, 0o755);
      await Deno.chmod(hidden, 0o700);
      await Deno.copyFile(`${FIXTURE}/plugin.yaml`, `${dir}/plugin.yaml`);
      const source = await Deno.readTextFile(`${FIXTURE}/mod.ts`);
      await Deno.writeTextFile(`${dir}/mod.ts`, source.replace("../../../../src/sdk/mod.ts", SDK));
      const [user] = TEST_USERS;
      const args = ["check", `--plugins-dir=${hidden}/plugins`, `--user=${user}`];
      const refused = await runLaunchbox(args);
      assert.equal(refused.code, 1, refused.stdout + refused.stderr);
      assert.ok(
        refused.stdout.includes(
          `writes_as_session_user: problem: Plugin "writes_as_session_user" cannot run as ` +
            `${user}: ${user} cannot read ${dir} (${hidden} is mode 0700, owned by root)`,
        ),
        refused.stdout,
      );
      const json = JSON.parse((await runLaunchbox([...args, "--json"])).stdout);
      assert.equal(json.user.name, user);
      assert.equal(json.user.checks[0].outcome, "problem");
      await Deno.chmod(hidden, 0o755);
      const fine = await runLaunchbox(args);
      assert.equal(fine.code, 0, fine.stdout + fine.stderr);
      assert.match(fine.stdout, new RegExp(`writes_as_session_user: ok: ${user} can reach`));
    } finally {
      await Deno.remove(base, { recursive: true });
    }
  },
});
