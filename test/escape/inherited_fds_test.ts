/**
 * File descriptors a runner, a granted program or a job could inherit: the host's own
 * (job store, logs, sockets) and any the Launcher left open when it started the host. At
 * every level a program the plugin runs, and a `local` job, must see only 0, 1 and 2.
 */
import assert from "node:assert/strict";
import { withHost } from "../_support/host_process.ts";
import { collect, jobRequest, submit, waitForStatus } from "../_support/requests.ts";
import { ensureTestUsers, TEST_USERS } from "../_support/system_users.ts";
import { installPlugin, LEVELS, levelSkip, pluginsRoot } from "./_hostile_plugins.ts";

/** Starts the host as a careless Launcher would: with fds 7 and 12 open. */
const LEAKY_LAUNCHER = [
  "/bin/bash",
  "-c",
  'exec 7</etc/hostname 12</etc/passwd; exec "$@"',
  "bash",
];

/** The fds in an `ls -l /proc/self/fd/` listing, but ls's own one on that directory. */
function fdsOf(listing: string): string[] {
  return listing.split("\n").map((line) => line.match(/ (\d+) -> (.*)$/)).filter((m) => m !== null)
    .filter((m) => !/^\/proc\/\d+\/fd$/.test(m[2]!)).map((m) => `${m[1]} -> ${m[2]}`);
}

function assertOnlyStdio(fds: string[], who: string): void {
  const extra = fds.filter((fd) => !/^[012] -> /.test(fd));
  assert.deepEqual(extra, [], `${who} inherited file descriptors beyond 0-2`);
}

for (const level of LEVELS) {
  const skip = await levelSkip(level);
  Deno.test({
    name: `A program the plugin runs at ${level.label} sees only fds 0-2, none of the host's${
      skip ? ` (skipped: ${skip})` : ""
    }`,
    ignore: skip !== undefined,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn() {
      await using root = await pluginsRoot();
      const name = "lists_fds";
      await installPlugin(root.dir, "runs_granted_program", {
        name,
        level,
        probe: { manifest: { "@RUN@": "/bin/ls" } },
      });
      const config = ["program=/bin/ls", "args=-l|/proc/self/fd/"];
      await withHost(
        { pluginsDir: root.dir, pluginName: name, config, wrap: LEAKY_LAUNCHER },
        async (host) => {
          await host.client.bootstrap();
          const job = await submit(host.client, TEST_USERS[0], { name: "escape" });
          const fds = fdsOf(String(job.statusMessage));
          assert.ok(fds.some((fd) => fd.startsWith("1 -> ")), `no listing: ${job.statusMessage}`);
          assertOnlyStdio(fds, `/bin/ls at ${level.label}`);
        },
      );
    },
  });
}

const usersSkip = await ensureTestUsers();
Deno.test({
  name: `A local job (run_as session-user) sees only fds 0-2${
    usersSkip ? ` (skipped: ${usersSkip})` : ""
  }`,
  ignore: usersSkip !== undefined,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await withHost(
      { pluginName: "local", config: [], wrap: LEAKY_LAUNCHER },
      async ({ client }) => {
        await client.bootstrap();
        const user = TEST_USERS[0];
        const job = await submit(client, user, { command: "exec ls -l /proc/self/fd/" });
        await waitForStatus(client, user, String(job.id), "Finished");
        const output = await collect(
          client.openStream(jobRequest(client, 6, user, String(job.id), { outputType: 0 })),
        );
        const fds = fdsOf(output.map((m) => String(m.output ?? "")).join(""));
        assert.ok(
          fds.some((fd) => fd.startsWith("1 -> ")),
          `no listing: ${JSON.stringify(output)}`,
        );
        assertOnlyStdio(fds, "a local job");
      },
    );
  },
});
