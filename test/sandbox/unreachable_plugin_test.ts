import assert from "node:assert/strict";
import { runnerFactory } from "../../src/host/runner_factory.ts";
import { createLogger } from "../../src/log/mod.ts";
import { instanceDirFor } from "../../src/sandbox/isolation.ts";
import { parseManifest } from "../../src/sandbox/manifest.ts";
import { UserDirectory } from "../../src/sandbox/users.ts";
import { ensureTestUsers, TEST_USERS } from "../_support/system_users.ts";
import { memoryJobs } from "./_runner.ts";

const skip = await ensureTestUsers();
const FIXTURE = new URL("../fixtures/plugins/writes_as_session_user", import.meta.url).pathname;
const SDK = new URL("../../src/sdk/mod.ts", import.meta.url).href;

Deno.test({
  name: `A session-user runner is refused before it starts when its user cannot reach the plugin${
    skip ? ` (skipped: ${skip})` : ""
  }`,
  ignore: skip !== undefined,
  async fn() {
    const base = Deno.realPathSync(await Deno.makeTempDir({ prefix: "launchbox-unreachable-" }));
    try {
      await Deno.chmod(base, 0o755);
      const hidden = `${base}/private`;
      const dir = `${hidden}/plugins/writes_as_session_user`;
      await Deno.mkdir(dir, { recursive: true });
      await Deno.chmod(hidden, 0o700);
      await Deno.copyFile(`${FIXTURE}/plugin.yaml`, `${dir}/plugin.yaml`);
      const source = await Deno.readTextFile(`${FIXTURE}/mod.ts`);
      await Deno.writeTextFile(`${dir}/mod.ts`, source.replace("../../../../src/sdk/mod.ts", SDK));
      const manifestFile = `${dir}/plugin.yaml`;
      const manifest = await parseManifest(await Deno.readTextFile(manifestFile), manifestFile);
      const instancesRoot = `${base}/scratch/instances`;
      await Deno.mkdir(instancesRoot, { recursive: true, mode: 0o755 });
      const users = new UserDirectory();
      const start = runnerFactory({
        manifest,
        config: {},
        instancesRoot,
        instanceDir: (key) => instanceDirFor(instancesRoot, key),
        users,
        debug: false,
      });
      const name = TEST_USERS[0];
      const user = users.lookup(name)!;
      await assert.rejects(
        start({
          instanceKey: `${user.group}/${name}`,
          user: name,
          jobs: memoryJobs([]),
          log: createLogger({ sinks: [] }),
        }),
        new Error(
          `Plugin "writes_as_session_user" cannot run as ${name}: ${name} cannot read ${dir} ` +
            `(${hidden} is mode 0700, owned by root)`,
        ),
      );
    } finally {
      await Deno.remove(base, { recursive: true });
    }
  },
});
