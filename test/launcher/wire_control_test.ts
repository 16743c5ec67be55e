import assert from "node:assert/strict";
import { jobRequest, submit, waitForStatus } from "../_support/requests.ts";
import { withHost } from "../_support/host_process.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test("ControlJob stops a running job and reports the result fields", opts, async () => {
  await withHost({}, async ({ client }) => {
    await client.bootstrap();
    const job = await submit(client, "alice", { tags: ["long-running"] });
    const id = String(job.id);
    await waitForStatus(client, "alice", id, "Running");
    const reply = await client.request(jobRequest(client, 5, "alice", id, { operation: 2 }));
    assert.equal(reply.messageType, 4);
    assert.equal(reply.statusMessage, "Job Stop successful");
    assert.equal(reply.operationComplete, true);
    const stopped = await waitForStatus(client, "alice", id, "Finished");
    assert.equal(stopped.exitCode, 143);
  });
});

Deno.test(
  "ControlJob refuses wrong states, wildcards, unknown operations and jobs",
  opts,
  async () => {
    await withHost({}, async ({ client }) => {
      await client.bootstrap();
      const job = await submit(client, "alice", { tags: ["long-running"] });
      const id = String(job.id);
      await waitForStatus(client, "alice", id, "Running");
      const cancel = await client.request(jobRequest(client, 5, "alice", id, { operation: 4 }));
      assert.equal(cancel.errorCode, 8);
      assert.match(String(cancel.errorMessage), /Job must be pending to cancel it/);
      const star = await client.request(jobRequest(client, 5, "alice", "*", { operation: 2 }));
      assert.equal(star.errorCode, 2);
      const op = await client.request(jobRequest(client, 5, "alice", id, { operation: 9 }));
      assert.equal(op.errorCode, 2);
      assert.match(String(op.errorMessage), /unknown control job operation \(9\)/);
      const missing = await client.request(
        jobRequest(client, 5, "alice", "nope", { operation: 2 }),
      );
      assert.equal(missing.errorCode, 3);
    });
  },
);

Deno.test(
  "Cancel, suspend, resume and kill move the job through the expected statuses",
  opts,
  async () => {
    await withHost(
      { config: ["pending-ms=60000", "run-ms=60000", "tick-ms=100"] },
      async ({ client }) => {
        await client.bootstrap();
        const pending = String((await submit(client, "alice")).id);
        const canceled = await client.request(
          jobRequest(client, 5, "alice", pending, { operation: 4 }),
        );
        assert.equal(canceled.statusMessage, "Job Cancel successful");
        await waitForStatus(client, "alice", pending, "Canceled");
      },
    );
    await withHost({}, async ({ client }) => {
      await client.bootstrap();
      const id = String((await submit(client, "alice", { tags: ["long-running"] })).id);
      await waitForStatus(client, "alice", id, "Running");
      await client.request(jobRequest(client, 5, "alice", id, { operation: 0 }));
      await waitForStatus(client, "alice", id, "Suspended");
      await client.request(jobRequest(client, 5, "alice", id, { operation: 1 }));
      await waitForStatus(client, "alice", id, "Running");
      await client.request(jobRequest(client, 5, "alice", id, { operation: 3 }));
      const killed = await waitForStatus(client, "alice", id, "Killed");
      assert.equal(killed.exitCode, 137);
    });
  },
);
