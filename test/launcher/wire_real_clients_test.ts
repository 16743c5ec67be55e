import assert from "node:assert/strict";
import { HELD_PENDING, withHost } from "../_support/host_process.ts";
import { jobRequest, userRequest, waitForStatus } from "../_support/requests.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

/**
 * A job as the C++ SDK's `Job::toJson` writes it (what `rlps-smoke-test` submits): every
 * field present, unset strings as `""`, unset lists as `[]`, and `status` as `""`.
 */
function cppSmokeTestJob(user: string): Record<string, unknown> {
  return {
    args: [],
    command: "",
    config: [],
    environment: [{ name: "ENV_VAR", value: "This is an environment variable!" }],
    exe: "/bin/sh",
    exposedPorts: [],
    host: "",
    id: "",
    mounts: [],
    name: "Quick Job 1",
    placementConstraints: [],
    queues: [],
    resourceLimits: [],
    stdin: "#!/bin/sh\necho $ENV_VAR",
    stderrFile: "",
    stdoutFile: "",
    status: "",
    submissionTime: "2026-12-03T23:04:15.039876Z",
    tags: ["filter job"],
    user,
    workingDirectory: "",
  };
}

Deno.test('SubmitJob accepts the C++ smoke test\'s job with status ""', opts, async () => {
  // Pending long enough that the listing filtered on Pending still finds it on a busy machine.
  await withHost({ config: HELD_PENDING }, async ({ client }) => {
    await client.bootstrap();
    const reply = await client.request(
      userRequest(client, 2, "alice", { job: cppSmokeTestJob("alice") }),
    );
    assert.equal(reply.messageType, 2, JSON.stringify(reply));
    const job = (reply.jobs as Record<string, unknown>[])[0]!;
    assert.equal(job.status, "Pending");
    assert.equal(job.name, "Quick Job 1");
    assert.equal(job.exe, "/bin/sh");
    assert.notEqual(job.id, "");
    // Unset values are not stored as if they had been set.
    for (const name of ["command", "host", "stdoutFile", "stderrFile", "workingDirectory"]) {
      assert.equal(job[name], undefined, name);
    }
    assert.notEqual(job.submissionTime, "2026-12-03T23:04:15.039876Z");
    // The rest of the smoke test's session goes on: listings, filters, a status stream.
    const all = await client.request(jobRequest(client, 3, "alice", "*"));
    assert.deepEqual((all.jobs as { id: string }[]).map((j) => j.id), [job.id]);
    const filtered = await client.request(
      jobRequest(client, 3, "alice", "*", { tags: ["filter job"], statuses: ["Pending"] }),
    );
    assert.equal(filtered.messageType, 2);
    await waitForStatus(client, "alice", String(job.id), "Finished");
  });
});

Deno.test("SubmitJob accepts a Go SDK job and nulls from other clients", opts, async () => {
  await withHost({ config: HELD_PENDING }, async ({ client }) => {
    await client.bootstrap();
    const goJob = {
      id: "",
      name: "go job",
      command: "echo hi",
      mounts: [{ mountPath: "/data", mountSource: { type: "host", source: { path: "/mnt" } } }],
      resourceProfile: "custom",
    };
    const go = await client.request(userRequest(client, 2, "alice", { job: goJob }));
    assert.equal(go.messageType, 2, JSON.stringify(go));
    const withNulls = {
      name: "nulls",
      command: "echo hi",
      exe: null,
      pid: null,
      exitCode: null,
      container: null,
      status: null,
      tags: null,
    };
    const nulls = await client.request(userRequest(client, 2, "alice", { job: withNulls }));
    assert.equal(nulls.messageType, 2, JSON.stringify(nulls));
    const job = (nulls.jobs as Record<string, unknown>[])[0]!;
    assert.equal(job.exe, undefined);
    assert.equal(job.status, "Pending");
  });
});

Deno.test("SubmitJob still refuses a real mistake, naming the field", opts, async () => {
  await withHost({}, async ({ client }) => {
    await client.bootstrap();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...cppSmokeTestJob("alice"), exe: 5 }, /field "job\.exe" must be a string, got number 5/],
      [{ ...cppSmokeTestJob("alice"), status: 1 }, /field "job\.status" must be a string/],
      [{ ...cppSmokeTestJob("alice"), exe: "" }, /must set command or exe/],
      [{ ...cppSmokeTestJob("alice"), command: "x" }, /either command or exe, not both/],
    ];
    for (const [job, message] of cases) {
      const reply = await client.request(userRequest(client, 2, "alice", { job }));
      assert.equal(reply.errorCode, 2, JSON.stringify(reply));
      assert.match(String(reply.errorMessage), message);
    }
  });
});
