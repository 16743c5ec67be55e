import assert from "node:assert/strict";
import { parseManifest } from "../sandbox/manifest.ts";
import { UserDirectory } from "../sandbox/users.ts";
import { checkAsUser } from "./check_user.ts";

/** A session-user plugin in a folder anyone may write, and two accounts: the caller and another. */
async function setup(dir: string) {
  const pluginDir = `${dir}/plugins/p`;
  await Deno.mkdir(pluginDir, { recursive: true });
  await Deno.writeTextFile(`${pluginDir}/mod.ts`, "export default {};\n");
  await Deno.chmod(pluginDir, 0o777);
  const manifest = await parseManifest(
    'name: p\nversion: "1"\nentry: mod.ts\nsdk: 1\nisolation: session\nrun_as: session-user\n',
    `${pluginDir}/plugin.yaml`,
  );
  const uid = Deno.uid()!;
  await Deno.writeTextFile(
    `${dir}/passwd`,
    `me:x:${uid}:${uid}::${dir}:/bin/sh\nother:x:99998:99998::/nonexistent:/bin/sh\n`,
  );
  await Deno.writeTextFile(`${dir}/group`, `me:x:${uid}:\nother:x:99998:\n`);
  return { manifest, users: new UserDirectory({ passwd: `${dir}/passwd`, group: `${dir}/group` }) };
}

Deno.test("checkAsUser passes the caller's own account, whose runners need no switch", async () => {
  const dir = await Deno.makeTempDir({ prefix: "launchbox-check-self-" });
  try {
    const { manifest, users } = await setup(dir);
    const [check] = checkAsUser([manifest], "me", users);
    assert.deepEqual(check, {
      plugin: "p",
      outcome: "ok",
      message: `me is this check's own user (uid ${Deno.uid()}): a host run as me starts me's ` +
        "runners without a switch, so there is nothing to check",
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("checkAsUser refuses another account that could rewrite the plugin's folder", async () => {
  const dir = await Deno.makeTempDir({ prefix: "launchbox-check-other-" });
  try {
    const { manifest, users } = await setup(dir);
    const [check] = checkAsUser([manifest], "other", users);
    assert.equal(check?.outcome, "problem");
    // Which problem comes first depends on where the checkout is: an unreachable runtime
    // (a checkout in a 0700 home), else the folder anyone may write.
    assert.match(
      check!.message,
      /^Plugin "p" cannot run as other: other cannot |^Cannot start plugin "p" as "other": the runner loads ".*", which "other" can write/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
