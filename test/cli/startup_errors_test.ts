import assert from "node:assert/strict";
import { runLaunchbox, withHost } from "../_support/host_process.ts";
import { userRequest } from "../_support/requests.ts";

/** A plugins directory whose only plugin, "myp", has an invalid isolation on line 5. */
async function brokenPlugins(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "launchbox-startup-" });
  await Deno.mkdir(`${dir}/myp`);
  await Deno.writeTextFile(
    `${dir}/myp/plugin.yaml`,
    'name: myp\nversion: "1"\nentry: mod.ts\nsdk: 1\nisolation: total\n',
  );
  await Deno.writeTextFile(`${dir}/myp/mod.ts`, "export default {};\n");
  return dir;
}

const REASON =
  /myp\/plugin\.yaml:5: plugin "myp" \(--plugin-name\) was skipped: field "isolation" must be one of none, namespace, session, got "total"/;

Deno.test("Every start-up with a broken manifest names the plugin, file:line and reason (6 runs of client demo)", async () => {
  const dir = await brokenPlugins();
  try {
    // The host exits at once; the client used to lose the race to kill it ("Child process
    // has already terminated") in most runs, so six runs catch it.
    for (let run = 1; run <= 6; run++) {
      const { code, stderr } = await runLaunchbox([
        "client",
        "demo",
        "--plugin-name=myp",
        `--plugins-dir=${dir}`,
      ]);
      assert.notEqual(code, 0);
      assert.doesNotMatch(stderr, /already terminated/, `run ${run}`);
      assert.match(stderr, REASON, `run ${run}: ${stderr}`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Plugin mode with --plugin-name of a broken manifest exits 2 naming it, not asking for --plugin-name", async () => {
  const dir = await brokenPlugins();
  const scratch = await Deno.makeTempDir();
  try {
    const { code, stderr } = await runLaunchbox([
      "--plugin-name=myp",
      `--plugins-dir=${dir}`,
      `--scratch-path=${scratch}`,
      "--heartbeat-interval-seconds=0",
    ]);
    assert.equal(code, 2);
    assert.match(stderr, REASON);
    assert.doesNotMatch(stderr, /pass --plugin-name/);
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(scratch, { recursive: true });
  }
});

Deno.test("A host whose job store cannot open exits 1 naming it, answering only with Bootstrap or an Error naming it", async () => {
  const scratch = await Deno.makeTempDir({ prefix: "launchbox-startup-" });
  try {
    // A directory where the SQLite file belongs.
    await Deno.mkdir(`${scratch}/jobs.sqlite`);
    await withHost({ scratch }, async (host) => {
      // The store opens beside Bootstrap: whichever the host read before it failed is
      // answered, the rest is not.
      const replies = await Promise.allSettled([
        host.client.bootstrap(),
        host.client.request(userRequest(host.client, 9, "alice")),
      ]);
      const status = await host.status();
      assert.equal(status.code, 1);
      assert.match(
        await host.stderr(),
        /Cannot open job store .*jobs\.sqlite" is not a regular file/,
      );
      const [bootstrap, cluster] = replies.map((r) => r.status === "fulfilled" ? r.value : null);
      if (bootstrap) assert.equal(bootstrap.messageType, 1, String(bootstrap.errorMessage));
      if (cluster) {
        assert.equal(cluster.messageType, -1);
        assert.match(String(cluster.errorMessage), /jobs\.sqlite" is not a regular file/);
      }
    });
  } finally {
    await Deno.remove(scratch, { recursive: true });
  }
});
