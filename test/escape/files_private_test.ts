import assert from "node:assert/strict";
import { type SystemUser, UserDirectory } from "../../src/sandbox/users.ts";
import { type HostProcess, withHost } from "../_support/host_process.ts";
import { submit, waitForStatus } from "../_support/requests.ts";
import { ensureTestUsers, TEST_USERS } from "../_support/system_users.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const FIXTURES = new URL("../fixtures/plugins", import.meta.url).pathname;
const skipUsers = await ensureTestUsers();

interface Entry {
  path: string;
  info: Deno.FileInfo;
}

/** Every file and directory under `dir` (not following symlinks). */
function walk(dir: string, out: Entry[] = []): Entry[] {
  for (const entry of Deno.readDirSync(dir)) {
    const path = `${dir}/${entry.name}`;
    const info = Deno.lstatSync(path);
    out.push({ path, info });
    if (info.isDirectory) walk(path, out);
  }
  return out;
}

const mode = (info: Deno.FileInfo) => (info.mode ?? 0) & 0o7777;
const octal = (info: Deno.FileInfo) => mode(info).toString(8).padStart(4, "0");

/** Whether `user` can read `path` (as a job running as that user would try). */
async function readableBy(user: string, path: string): Promise<boolean> {
  const account = new UserDirectory().lookup(user)!;
  const args = [`--reuid=${account.uid}`, `--regid=${account.gid}`, "--clear-groups", "--"];
  const command = Deno.statSync(path).isDirectory ? ["ls", path] : ["head", "-c", "1", path];
  const out = await new Deno.Command("/usr/bin/setpriv", {
    args: [...args, ...command],
    stdout: "null",
    stderr: "null",
  }).output();
  return out.code === 0;
}

/** Submits jobs for two users and waits until they run, so the WAL holds their rows. */
async function runJobs(host: HostProcess, users: readonly string[]): Promise<void> {
  await host.client.bootstrap();
  for (let round = 0; round < 3; round++) {
    for (const user of users) {
      const job = await submit(host.client, user, {
        environment: [{ name: "SECRET", value: `secret of ${user}` }],
      });
      await waitForStatus(host.client, user, String(job.id), "Running");
    }
  }
}

/** Files the host made under the scratch path (the test wrote the config file itself). */
function hostFiles(scratch: string): Entry[] {
  return walk(scratch).filter((entry) => !entry.path.endsWith(".conf"));
}

Deno.test(
  "The job store, its WAL and SHM, and current and rotated logs are 0600 after a real run",
  opts,
  async () => {
    const scratch = await Deno.makeTempDir({ prefix: "launchbox-modes-" });
    // A log left 0644 by an older version is narrowed, not kept.
    await Deno.mkdir(`${scratch}/log`, { mode: 0o700 });
    await Deno.writeTextFile(`${scratch}/log/inmemory.log`, "{}\n", { mode: 0o644 });
    await Deno.chmod(`${scratch}/log/inmemory.log`, 0o644);
    await withHost(
      { scratch, env: { LAUNCHBOX_LOG_MAX_BYTES: "600" }, args: ["--enable-debug-logging=1"] },
      async (host) => {
        await runJobs(host, TEST_USERS);
        const entries = hostFiles(scratch);
        const names = entries.map((entry) => entry.path.slice(scratch.length + 1));
        for (const name of ["jobs.sqlite", "jobs.sqlite-wal", "jobs.sqlite-shm"]) {
          assert.ok(names.includes(name), `${name} exists while the host runs: ${names}`);
        }
        assert.ok(names.includes("log/inmemory.log.1"), `a log was rotated: ${names}`);
        for (const { path, info } of entries) {
          if (info.isFile) assert.equal(octal(info), "0600", `${path} is ${octal(info)}`);
          if (info.isDirectory) {
            assert.equal(mode(info) & 0o066, 0, `${path} (${octal(info)}) is listable by others`);
          }
          assert.equal(info.uid, Deno.uid(), `${path} is owned by the server user`);
        }
        if (skipUsers) return;
        for (const { path, info } of entries) {
          if (info.isFile) {
            assert.ok(!(await readableBy("lbtest_bob", path)), `lbtest_bob read ${path}`);
          }
        }
      },
    );
    await Deno.remove(scratch, { recursive: true });
  },
);

Deno.test({
  name: `Session-user instance directories are owned by and private to their users${
    skipUsers ? ` (skipped: ${skipUsers})` : ""
  }`,
  ignore: skipUsers !== undefined,
  ...opts,
  async fn() {
    const scratch = await Deno.makeTempDir({ prefix: "launchbox-modes-" });
    const directory = new UserDirectory();
    await withHost(
      { scratch, pluginsDir: FIXTURES, pluginName: "writes_as_session_user", config: [] },
      async (host) => {
        await runJobs(host, TEST_USERS);
        const [alice, bob] = TEST_USERS.map((name) => directory.lookup(name)!) as [
          SystemUser,
          SystemUser,
        ];
        const pairs: [SystemUser, SystemUser][] = [[alice, bob], [bob, alice]];
        for (const [owner, other] of pairs) {
          const dir = `${scratch}/instances/ns/${owner.group}/${owner.name}`;
          const info = Deno.statSync(dir);
          assert.equal(info.uid, owner.uid, `${dir} belongs to ${owner.name}`);
          assert.equal(octal(info), "0700");
          for (const { path } of walk(dir)) {
            assert.ok(!(await readableBy(other.name, path)), `${other.name} read ${path}`);
          }
        }
        for (const { path, info } of hostFiles(scratch)) {
          if (path.includes("/runner-cache")) {
            // Code every runner reads, so readable; but never writable by a runner's user.
            assert.equal(info.uid, Deno.uid(), `${path} belongs to the server user`);
            assert.equal(mode(info) & 0o022, 0, `${path} (${octal(info)}) is writable`);
          } else if (info.isFile && !path.includes("/instances/")) {
            assert.ok(!(await readableBy("lbtest_alice", path)), `lbtest_alice read ${path}`);
          }
        }
      },
    );
    await Deno.remove(scratch, { recursive: true });
  },
});
