/**
 * Links created by jobs: a `local` job (run_as: session-user) replaces its own output
 * file with a link to another user's private file, then its user asks for the output.
 * The Deno permission check passes (the path is inside the user's home, which the
 * manifest grants), so what contains this is the runner's uid: it reads as the job's
 * user, and the kernel refuses.
 */
import assert from "node:assert/strict";
import { withHost } from "../_support/host_process.ts";
import { collect, jobRequest, submit, waitForStatus } from "../_support/requests.ts";
import { ensureTestUsers, TEST_USERS } from "../_support/system_users.ts";

const skip = await ensureTestUsers();
const [ALICE, BOB] = TEST_USERS;
const SECRET = "bob's private words";

/** A file only bob can read, in bob's home. */
async function bobsSecret(): Promise<string> {
  const path = `/home/${BOB}/launchbox-secret-${crypto.randomUUID()}.txt`;
  await Deno.writeTextFile(path, SECRET, { mode: 0o600 });
  await Deno.chmod(path, 0o600);
  const ids = await new Deno.Command("id", { args: ["-u", BOB] }).output();
  const uid = Number(new TextDecoder().decode(ids.stdout));
  await Deno.chown(path, uid, uid);
  return path;
}

const LINKS: [string, (secret: string, out: string) => string][] = [
  ["a symbolic link", (secret, out) => `rm -f '${out}'; ln -s '${secret}' '${out}'`],
  ["a hard link", (secret, out) => `rm -f '${out}'; ln '${secret}' '${out}'`],
];

for (const [kind, command] of LINKS) {
  Deno.test({
    name:
      `A local job that turns its output file into ${kind} to another user's file gets nothing of it${
        skip ? ` (skipped: ${skip})` : ""
      }`,
    ignore: skip !== undefined,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn() {
      const secret = await bobsSecret();
      const out = `/home/${ALICE}/launchbox-out-${crypto.randomUUID()}.txt`;
      try {
        await withHost({ pluginName: "local", config: [] }, async ({ client }) => {
          await client.bootstrap();
          const job = await submit(client, ALICE, {
            command: command(secret, out),
            stdoutFile: out,
          });
          await waitForStatus(client, ALICE, String(job.id), "Finished");
          const output = await collect(
            client.openStream(jobRequest(client, 6, ALICE, String(job.id), { outputType: 0 })),
          );
          const text = JSON.stringify(output);
          assert.doesNotMatch(text, new RegExp(SECRET), `alice read bob's file: ${text}`);
          assert.equal((await submit(client, BOB, { command: "true" })).user, BOB);
        });
      } finally {
        await Deno.remove(secret);
        await Deno.remove(out).catch(() => {});
      }
    },
  });
}
