/**
 * Issue #11 item 1: a plugin that ships a link in its own folder (`secret -> /etc/shadow`,
 * `rootfs -> /`) read the host's files, because Deno grants `${plugin_dir}` by path string
 * and opens whatever a link inside points at. Discovery must refuse such a plugin, naming
 * the link and its target, at every isolation level, and the host must not serve it.
 */
import assert from "node:assert/strict";
import { runLaunchbox, withHost } from "../_support/host_process.ts";
import { submit, userRequest } from "../_support/requests.ts";
import {
  installPlugin,
  LEVELS,
  levelSkip,
  pluginsRoot,
  type Probe,
  startOutcome,
} from "./_hostile_plugins.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

/** Probes of the class: absolute, relative, nested, directory and entry-module links. */
const PROBES: [string, Probe, string][] = [
  ["links_to_etc_shadow", { links: { secret: "/etc/shadow" } }, "@HERE@/secret"],
  ["links_to_root", { links: { rootfs: "/" } }, "@HERE@/rootfs/etc/shadow"],
  [
    "links_to_etc_relative",
    { links: { "lib/etc": "../../../../../../../../../../etc" } },
    "@HERE@/lib/etc/shadow",
  ],
  ["links_to_scratch", { links: { "data/jobs": "/tmp" } }, "@HERE@/data/jobs"],
];

for (const level of LEVELS) {
  const skip = await levelSkip(level);
  for (const [name, probe, target] of PROBES) {
    Deno.test({
      name: `Host refuses ${name} at ${level.label}, naming the link and its target${
        skip ? ` (skipped: ${skip})` : ""
      }`,
      ignore: skip !== undefined,
      ...opts,
      async fn() {
        await using root = await pluginsRoot();
        const dir = await installPlugin(root.dir, "reads_granted_path", { name, level, probe });
        const link = Object.keys(probe.links!)[0]!;
        await withHost(
          { pluginsDir: root.dir, pluginName: name, config: [`target=${target}`] },
          async (host) => {
            const outcome = await startOutcome(host);
            if (outcome.served) {
              const job = await submit(host.client, "lbtest_alice", { name: "escape" });
              assert.fail(`The host served ${name}: ${JSON.stringify(job.statusMessage)}`);
            }
            assert.equal(outcome.code, 2);
            assert.match(
              outcome.stderr,
              new RegExp(`plugin "${name}" \\(--plugin-name\\) was skipped: link`),
            );
            assert.ok(
              outcome.stderr.includes(`link "${dir}/${link}" points outside the plugin folder`),
              outcome.stderr,
            );
          },
        );
      },
    });
  }
}

Deno.test(
  "Host serves the plugin it was asked for without reading a linked neighbour, which check refuses",
  opts,
  async () => {
    await using root = await pluginsRoot();
    const level = LEVELS[0]!;
    await installPlugin(root.dir, "reads_granted_path", {
      name: "links_to_etc_shadow",
      level,
      probe: { links: { secret: "/etc/shadow" } },
    });
    await installPlugin(root.dir, "reads_granted_path", { name: "plain", level });
    await withHost({ pluginsDir: root.dir, pluginName: "plain", config: [] }, async (host) => {
      await host.client.bootstrap();
      assert.equal((await submit(host.client, "alice", { name: "fine" })).status, "Running");
      await host.stop();
      // Launcher mode reads only the manifest of the plugin it serves.
      assert.doesNotMatch(await host.stderr(), /links_to_etc_shadow/);
    });
    const { code, stdout } = await runLaunchbox(["check", `--plugins-dir=${root.dir}`]);
    assert.equal(code, 1, stdout);
    assert.match(stdout, /links_to_etc_shadow\/secret.*points outside the plugin folder/);
  },
);

Deno.test(
  "check shows a plugin with an escaping link as an error naming the link, and exits 1",
  opts,
  async () => {
    await using root = await pluginsRoot();
    for (const level of LEVELS) {
      const name = `links_to_root_${level.label.replace(/\W/g, "_")}`;
      await installPlugin(root.dir, "reads_granted_path", {
        name,
        level,
        probe: { links: { "lib/rootfs": "/" } },
      });
    }
    const { code, stdout } = await runLaunchbox(["check", `--plugins-dir=${root.dir}`]);
    assert.equal(code, 1, stdout);
    assert.match(stdout, /4 invalid manifests \(\d+ problems\):/);
    for (const level of LEVELS) {
      const name = `links_to_root_${level.label.replace(/\W/g, "_")}`;
      assert.ok(
        stdout.includes(
          `${root.dir}/${name}/lib/rootfs: link "${root.dir}/${name}/lib/rootfs" points outside the plugin folder, to "/"`,
        ),
        stdout,
      );
    }
  },
);

Deno.test(
  "Host at run_as host refuses a read grant others can plant links in; session-user is served",
  opts,
  async () => {
    await using root = await pluginsRoot();
    const open = `${root.dir}/open`;
    await Deno.mkdir(open);
    await Deno.chmod(open, 0o777);
    await Deno.symlink("/etc/shadow", `${open}/planted`);
    const READ = 'read: ["${plugin_dir}", "${instance_dir}"]';
    const probe = {
      manifest: { [READ]: `read: ["\${plugin_dir}", "\${instance_dir}", "${open}"]` },
    };
    for (const level of LEVELS) {
      if (await levelSkip(level)) continue;
      const name = `plants_links_${level.label.replace(/\W/g, "_")}`;
      await installPlugin(root.dir, "reads_granted_path", { name, level, probe });
      await withHost(
        { pluginsDir: root.dir, pluginName: name, config: [`target=${open}/planted`] },
        async ({ client }) => {
          await client.bootstrap();
          const ask = (user: string, job: string) =>
            client.request(userRequest(client, 2, user, { job: { command: "x", name: job } }));
          const alice = await ask("lbtest_alice", "escape");
          const bob = await ask("lbtest_bob", "fine");
          if (level.runAs === "host") {
            const refusal = new RegExp(
              `Cannot grant plugin "${name}" read of "${open}": "${open}" is writable by group or others`,
            );
            assert.equal(alice.messageType, -1, `${level.label}: ${JSON.stringify(alice)}`);
            assert.match(String(alice.errorMessage), refusal);
            assert.match(String(bob.errorMessage), refusal, "no instance gets the grant");
          } else {
            assert.equal(alice.messageType, -1, "lbtest_alice's runner cannot read /etc/shadow");
            assert.match(String(alice.errorMessage), /denied/i);
            assert.equal(bob.messageType, 2, "the session-user plugin serves other users");
          }
        },
      );
    }
  },
);
