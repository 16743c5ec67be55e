import assert from "node:assert/strict";
import { JobStore } from "../../src/host/job_store/mod.ts";
import { jobRequest } from "../_support/requests.ts";
import { FAST_INMEMORY, withHost } from "../_support/host_process.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const JOBS = 20_000;

/** A store of finished jobs whose full listing (about 7 MB) exceeds the default 5 MiB frame. */
async function fillStore(scratch: string): Promise<void> {
  using store = JobStore.open(`${scratch}/jobs.sqlite`, { expiryHours: 24, groupCommit: true });
  const meta = { instanceKey: "shared", plugin: "inmemory" };
  for (let i = 0; i < JOBS; i++) {
    store.insert({
      user: `user${i % 50}`,
      status: "Finished",
      name: `large store job ${i}`,
      command: "/usr/bin/python3",
      args: ["-c", "print('a line long enough to make the listing large')"],
      tags: ["large-store"],
      environment: [{ name: "PATH", value: "/usr/local/bin:/usr/bin:/bin" }],
      queues: ["default"],
      host: "localhost",
    }, meta);
  }
  await store.committed();
}

Deno.test(
  'GetJob "*" over the frame limit names the settings to raise, and is answered once they are',
  opts,
  async () => {
    const scratch = await Deno.makeTempDir({ prefix: "launchbox-test-" });
    try {
      await fillStore(scratch);
      let needed = 0;
      await withHost({ scratch }, async (host) => {
        host.keepScratch();
        const { client } = host;
        await client.bootstrap();
        const reply = await client.request(jobRequest(client, 3, "*", "*"));
        assert.equal(reply.messageType, -1, "refused, not cut or split");
        const message = String(reply.errorMessage);
        const match =
          /^Cannot send response: (\d+) bytes exceed the 5242880 byte message limit; raise max-message-size in launcher\.conf \[server\] and in .*launcher\.inmemory\.conf \(or --max-message-size\) to at least \1, or narrow the request with filters or fields$/
            .exec(message);
        assert.ok(match, message);
        needed = Number(match[1]);
        assert.ok(needed > 5_242_880);
        // The session goes on.
        const narrowed = await client.request(jobRequest(client, 3, "*", "*", { fields: ["id"] }));
        assert.equal((narrowed.jobs as unknown[]).length, JOBS);
      });
      // "At least": a later answer differs by a few bytes (its requestId and responseId).
      const config = [...FAST_INMEMORY, `max-message-size=${needed + 64}`];
      await withHost({ scratch, config }, async (host) => {
        const { client } = host;
        await client.bootstrap();
        const reply = await client.request(jobRequest(client, 3, "*", "*"));
        assert.equal(reply.messageType, 2, String(reply.errorMessage));
        const jobs = reply.jobs as { id: string; name: string }[];
        assert.equal(jobs.length, JOBS);
        assert.equal(jobs[JOBS - 1]?.name, `large store job ${JOBS - 1}`);
      });
    } finally {
      await Deno.remove(scratch, { recursive: true }).catch(() => {});
    }
  },
);
