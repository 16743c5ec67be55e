import assert from "node:assert/strict";
import { JobStore } from "../../src/host/job_store/mod.ts";
import { instanceKeyFor } from "../../src/sandbox/isolation.ts";
import { type HostProcess, withHost } from "../_support/host_process.ts";
import { jobRequest, submit } from "../_support/requests.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const FIXTURES = new URL("./fixtures", import.meta.url).pathname;
/** A job store written by the version 1 code (commit 9c2030b): four session-level jobs,
 * three of them ("rt user", "rt_user", "rt/user") under the one folded key "ops_team/rt_user". */
const OLD_STORE = `${FIXTURES}/old_key_store/jobs_v1.sqlite`;
const OLD_TENANTS: Record<string, string> = {
  "rt user": "ops team",
  "rt_user": "ops team",
  "rt/user": "ops_team",
  "alice": "shared",
};
const rekey = (user: string) =>
  instanceKeyFor("session", { user, tenant: OLD_TENANTS[user] ?? user });

async function copyOfOldStore(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "launchbox-keys-" });
  await Deno.copyFile(OLD_STORE, `${dir}/jobs.sqlite`);
  return dir;
}

interface Seen {
  key: string;
  owners: string[];
  writers: string[];
}

/** Submits for `user` and reads back what the instance that took the job could see. */
async function seenBy(host: HostProcess, user: string): Promise<Seen> {
  const job = await submit(host.client, user);
  const reply = await host.client.request(jobRequest(host.client, 3, user, String(job.id)));
  const stored = (reply.jobs as Record<string, unknown>[])[0]!;
  return JSON.parse(String(stored.statusMessage));
}

Deno.test(
  "Users whose names the old keys folded together each get their own instance",
  opts,
  async () => {
    await withHost(
      { pluginsDir: FIXTURES, pluginName: "shows_instance_jobs", config: ["tenant.carol=shared"] },
      async (host) => {
        await host.client.bootstrap();
        const keys = new Set<string>();
        for (const user of ["rt user", "rt_user", "rt/user", "rt%20user", "carol", "..", "."]) {
          const seen = await seenBy(host, user);
          assert.deepEqual(seen.owners, [user], `${user} sees only its own jobs`);
          assert.deepEqual(seen.writers, [user], `${user} has its instance directory to itself`);
          assert.ok(!keys.has(seen.key), `${user} got the key "${seen.key}" of another user`);
          keys.add(seen.key);
        }
        const top = [...Deno.readDirSync(`${host.scratch}/instances`)].map((e) => e.name);
        assert.deepEqual(top, ["ns"], "no tenant lands in or beside the shared instance");
      },
    );
  },
);

Deno.test("A job store with version 1 keys is refused when nothing can re-key it", async () => {
  const dir = await copyOfOldStore();
  try {
    assert.throws(
      () => JobStore.open(`${dir}/jobs.sqlite`, { expiryHours: 1e6 }),
      /Cannot open job store ".*jobs\.sqlite": its 4 jobs have version 1 instance keys, which may put two users in one instance; start "launchbox launcher" on it once to re-key them/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("A job store with version 1 keys is re-keyed so each user's jobs go to their own instance", async () => {
  const dir = await copyOfOldStore();
  try {
    {
      using old = JobStore.open(`${dir}/jobs.sqlite`, { expiryHours: 1e6, rekey: () => "x" });
      old.close();
    }
  } catch {
    // The first open re-keys; the assertion below uses a fresh copy.
  }
  await Deno.copyFile(OLD_STORE, `${dir}/jobs.sqlite`);
  try {
    using store = JobStore.open(`${dir}/jobs.sqlite`, { expiryHours: 1e6, rekey });
    for (const user of Object.keys(OLD_TENANTS)) {
      const jobs = store.listByInstance(rekey(user));
      assert.deepEqual(jobs.map((job) => job.user), [user]);
      assert.equal(jobs[0]!.name, `job of ${user}`);
    }
    assert.deepEqual(store.listByInstance("ops_team/rt_user").map((job) => job.user), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test(
  "A host started on a version 1 store serves each old job to its owner's instance",
  opts,
  async () => {
    const scratch = await copyOfOldStore();
    const config = [
      "tenant.rt user=ops team",
      "tenant.rt_user=ops team",
      "tenant.rt/user=ops_team",
    ];
    await withHost(
      { pluginsDir: FIXTURES, pluginName: "shows_instance_jobs", config, scratch },
      async (host) => {
        await host.client.bootstrap();
        const seen = await seenBy(host, "rt_user");
        assert.deepEqual(
          seen.owners,
          ["rt_user", "rt_user"],
          "the old job and the new, no one else's",
        );
      },
    );
    await Deno.remove(scratch, { recursive: true });
  },
);
