import assert from "node:assert/strict";
import { collect, jobRequest, submit, userRequest } from "../_support/requests.ts";
import { withHost } from "../_support/host_process.ts";
import { waitUntil } from "../_support/wait.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test(
  "Bootstrap answers version 3.6.0 with requestId 0 and the first responseId",
  opts,
  async () => {
    await withHost({}, async ({ client }) => {
      const reply = await client.bootstrap();
      assert.deepEqual(reply, {
        messageType: 1,
        requestId: 0,
        responseId: 0,
        version: { major: 3, minor: 6, patch: 0 },
      });
    });
  },
);

Deno.test("Bootstrap refuses another major version with error 10", opts, async () => {
  await withHost({}, async ({ client }) => {
    const reply = await client.bootstrap(4);
    assert.equal(reply.messageType, -1);
    assert.equal(reply.requestId, 0);
    assert.equal(reply.responseId, 0);
    assert.equal(reply.errorCode, 10);
    assert.match(
      String(reply.errorMessage),
      /supports API version 3\.6\.0.*Launcher's API version is 4\.6\.0/,
    );
  });
});

Deno.test("Heartbeat requests are answered with requestId 0 and responseId 0", opts, async () => {
  await withHost({}, async ({ client }) => {
    await client.bootstrap();
    client.send({ messageType: 0, requestId: 0 });
    await waitUntil(() => client.heartbeats.length === 1);
    assert.deepEqual(client.heartbeats[0], { messageType: 0, requestId: 0, responseId: 0 });
  });
});

Deno.test(
  "Heartbeats are also sent every --heartbeat-interval-seconds after Bootstrap",
  opts,
  async () => {
    await withHost({ args: ["--heartbeat-interval-seconds=1"] }, async ({ client }) => {
      await client.bootstrap();
      await waitUntil(() => client.heartbeats.length >= 2, 3500);
      assert.ok(client.heartbeats.every((h) => h.requestId === 0 && h.responseId === 0));
    });
  },
);

Deno.test(
  "SubmitJob echoes the job with host-set fields and keeps unknown fields",
  opts,
  async () => {
    await withHost({}, async ({ client }) => {
      await client.bootstrap();
      const job = await submit(client, "alice", {
        name: "Quick Job 1",
        exe: "/bin/sh",
        command: undefined,
        stdin: "#!/bin/sh\necho $ENV_VAR",
        environment: [{ name: "ENV_VAR", value: "hi" }],
        tags: ["filter job"],
        cluster: "mycluster",
        mounts: [{ mountPath: "/data", readOnly: false, type: "host", source: { path: "/mnt" } }],
        futureField: { kept: true },
      });
      assert.equal(typeof job.id, "string");
      assert.equal(job.user, "alice");
      assert.equal(job.name, "Quick Job 1");
      assert.equal(job.status, "Pending");
      assert.deepEqual(job.tags, ["filter job"]);
      assert.deepEqual(job.environment, [{ name: "ENV_VAR", value: "hi" }]);
      assert.deepEqual(job.futureField, { kept: true });
      assert.deepEqual(job.mounts, [
        {
          mountPath: "/data",
          readOnly: false,
          mountSource: { type: "host", source: { path: "/mnt" } },
        },
      ]);
      assert.match(String(job.submissionTime), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$/);
      assert.ok(String(job.lastUpdateTime) >= String(job.submissionTime));
    });
  },
);

Deno.test("SubmitJob with the same idempotency tag returns the existing job", opts, async () => {
  await withHost({}, async ({ client }) => {
    await client.bootstrap();
    const first = await submit(client, "alice", { tags: ["idempotency:abc"] });
    const again = await submit(client, "alice", { tags: ["idempotency:abc"] });
    const other = await submit(client, "bob", { tags: ["idempotency:abc"] });
    assert.equal(again.id, first.id);
    assert.notEqual(other.id, first.id);
  });
});

Deno.test(
  "SubmitJob refuses a job without a user, or with both command and exe",
  opts,
  async () => {
    await withHost({}, async ({ client }) => {
      await client.bootstrap();
      const noUser = await client.request(userRequest(client, 2, "*", { job: { command: "x" } }));
      assert.equal(noUser.errorCode, 2);
      assert.match(String(noUser.errorMessage), /User must not be empty/);
      const both = await client.request(
        userRequest(client, 2, "alice", { job: { command: "x", exe: "/bin/sh" } }),
      );
      assert.equal(both.errorCode, 2);
      assert.match(String(both.errorMessage), /either command or exe/);
    });
  },
);

Deno.test("GetJob returns one job, honours fields, and hides other users' jobs", opts, async () => {
  await withHost({}, async ({ client }) => {
    await client.bootstrap();
    const job = await submit(client, "alice", { name: "mine" });
    const one = await client.request(
      jobRequest(client, 3, "alice", String(job.id), { fields: ["name"] }),
    );
    assert.equal(one.messageType, 2);
    assert.deepEqual(one.jobs, [{ id: job.id, name: "mine" }]);
    const admin = await client.request(jobRequest(client, 3, "*", String(job.id)));
    assert.equal((admin.jobs as { user: string }[])[0]!.user, "alice");
    const bob = await client.request(jobRequest(client, 3, "bob", String(job.id)));
    assert.equal(bob.messageType, -1);
    assert.equal(bob.errorCode, 3);
    assert.equal(bob.errorMessage, `Job ${job.id} could not be found for user bob`);
  });
});

Deno.test("GetJob with * filters by tags (AND), statuses and submission time", opts, async () => {
  await withHost({}, async ({ client }) => {
    await client.bootstrap();
    const a = await submit(client, "alice", { tags: ["x", "y"], name: "a" });
    await submit(client, "alice", { tags: ["x"], name: "b" });
    await submit(client, "bob", { tags: ["x", "y"], name: "c" });
    const both = await client.request(jobRequest(client, 3, "alice", "*", { tags: ["x", "y"] }));
    assert.deepEqual((both.jobs as { id: string }[]).map((j) => j.id), [a.id]);
    const all = await client.request(jobRequest(client, 3, "*", "*", { tags: ["x"] }));
    assert.equal((all.jobs as unknown[]).length, 3);
    const future = await client.request(
      jobRequest(client, 3, "alice", "*", { startTime: "2999-01-01T00:00:00Z" }),
    );
    assert.deepEqual(future.jobs, []);
    const finished = await client.request(
      jobRequest(client, 3, "alice", "*", { statuses: ["Finished"] }),
    );
    assert.deepEqual(finished.jobs, []);
    const bad = await client.request(jobRequest(client, 3, "alice", "*", { statuses: ["Done"] }));
    assert.equal(bad.errorCode, 2);
    assert.match(String(bad.errorMessage), /"statuses"/);
  });
});

Deno.test(
  "Output streams send numbered chunks then complete, for int and string outputType",
  opts,
  async () => {
    await withHost({}, async ({ client }) => {
      await client.bootstrap();
      const id = String((await submit(client, "alice")).id);
      for (const outputType of [0, "stdout"]) {
        const messages = await collect(
          client.openStream(jobRequest(client, 6, "alice", id, { outputType })),
        );
        const last = messages.at(-1)!;
        assert.equal(last.complete, true);
        assert.deepEqual(messages.map((m) => m.seqId), messages.map((_, i) => i + 1));
        const text = messages.slice(0, -1).map((m) => m.output).join("");
        assert.match(text, /^Line 1 from stdout\nLine 2 from stdout\n/);
        assert.ok(
          messages.slice(0, -1).every((m) => m.outputType === "stdout" && m.complete === false),
        );
      }
    });
  },
);
