import assert from "node:assert/strict";
import { spawnHost, withHost } from "../_support/host_process.ts";
import { collect, jobRequest, submit, waitForStatus } from "../_support/requests.ts";
import { ensureTestUsers, TEST_USERS } from "../_support/system_users.ts";

const skip = await ensureTestUsers();
const opts = { sanitizeOps: false, sanitizeResources: false, ignore: skip !== undefined };
const ALICE = TEST_USERS[0];
const local = { pluginName: "local", config: [] };

Deno.test(
  `local runs a command with its stdin, environment and directory, and reports the exit code${
    skip ? ` (skipped: ${skip})` : ""
  }`,
  opts,
  async () => {
    await withHost(local, async ({ client }) => {
      await client.bootstrap();
      const job = await submit(client, ALICE, {
        // MALLOC_ARENA_MAX is the runner's own setting; jobs must not inherit it.
        command:
          'read line; echo "$line $GREETING from $(pwd) ${MALLOC_ARENA_MAX:-}"; echo oops >&2; exit 3',
        stdin: "hello\n",
        environment: [{ name: "GREETING", value: "it's me" }],
        workingDirectory: "/tmp",
      });
      assert.ok(job.status === "Running" || job.status === "Finished", `status ${job.status}`);
      const done = await waitForStatus(client, ALICE, String(job.id), "Finished");
      assert.equal(done.exitCode, 3);
      assert.equal(done.statusMessage, "Exited with code 3");
      const out = await collect(
        client.openStream(jobRequest(client, 6, ALICE, String(job.id), { outputType: 0 })),
      );
      assert.equal(
        out.filter((m) => !m.complete).map((m) => m.output).join(""),
        "hello it's me from /tmp \n",
      );
      const err = await collect(
        client.openStream(jobRequest(client, 6, ALICE, String(job.id), { outputType: 1 })),
      );
      assert.equal(err.filter((m) => !m.complete).map((m) => m.output).join(""), "oops\n");
    });
  },
);

Deno.test(
  `local runs an exe with arguments${skip ? ` (skipped: ${skip})` : ""}`,
  opts,
  async () => {
    await withHost(local, async ({ client }) => {
      await client.bootstrap();
      const job = await submit(client, ALICE, {
        command: undefined,
        exe: "/bin/echo",
        args: ["a b", "c"],
      });
      await waitForStatus(client, ALICE, String(job.id), "Finished");
      const out = await collect(
        client.openStream(jobRequest(client, 6, ALICE, String(job.id), { outputType: 0 })),
      );
      assert.equal(out.filter((m) => !m.complete).map((m) => m.output).join(""), "a b c\n");
    });
  },
);

Deno.test(
  `local stops, kills, suspends and resumes whole process groups${
    skip ? ` (skipped: ${skip})` : ""
  }`,
  opts,
  async () => {
    await withHost(local, async ({ client }) => {
      await client.bootstrap();
      const stopped = String((await submit(client, ALICE, { command: "sleep 30 & wait" })).id);
      const stop = await client.request(jobRequest(client, 5, ALICE, stopped, { operation: 2 }));
      assert.equal(stop.statusMessage, "Job Stop successful");
      const finished = await waitForStatus(client, ALICE, stopped, "Finished");
      assert.equal(finished.exitCode, 143);
      const killed = String((await submit(client, ALICE, { command: "sleep 30" })).id);
      await client.request(jobRequest(client, 5, ALICE, killed, { operation: 0 }));
      await waitForStatus(client, ALICE, killed, "Suspended");
      await client.request(jobRequest(client, 5, ALICE, killed, { operation: 1 }));
      await waitForStatus(client, ALICE, killed, "Running");
      await client.request(jobRequest(client, 5, ALICE, killed, { operation: 3 }));
      assert.equal((await waitForStatus(client, ALICE, killed, "Killed")).exitCode, 137);
    });
  },
);

Deno.test(
  `local queues beyond max-running and cancels queued jobs${skip ? ` (skipped: ${skip})` : ""}`,
  opts,
  async () => {
    await withHost({ ...local, config: ["max-running=1"] }, async ({ client }) => {
      await client.bootstrap();
      const first = String((await submit(client, ALICE, { command: "sleep 0.5" })).id);
      const queued = await submit(client, ALICE, { command: "true" });
      const canceled = await submit(client, ALICE, { command: "true" });
      assert.equal(queued.status, "Pending");
      const cancel = await client.request(
        jobRequest(client, 5, ALICE, String(canceled.id), { operation: 4 }),
      );
      assert.equal(cancel.statusMessage, "Job Cancel successful");
      await waitForStatus(client, ALICE, String(canceled.id), "Canceled");
      await waitForStatus(client, ALICE, first, "Finished");
      assert.equal((await waitForStatus(client, ALICE, String(queued.id), "Finished")).exitCode, 0);
    });
  },
);

Deno.test(
  `local re-adopts a job that kept running while the host was killed${
    skip ? ` (skipped: ${skip})` : ""
  }`,
  opts,
  async () => {
    const first = await spawnHost(local);
    first.keepScratch();
    let id = "";
    try {
      await first.client.bootstrap();
      id = String((await submit(first.client, ALICE, { command: "sleep 1.5; echo survived" })).id);
    } finally {
      first.kill("SIGKILL");
      await first[Symbol.asyncDispose]();
    }
    await withHost({ ...local, scratch: first.scratch }, async ({ client }) => {
      await client.bootstrap();
      const done = await waitForStatus(client, ALICE, id, "Finished", 15_000);
      assert.equal(done.exitCode, 0);
      const out = await collect(
        client.openStream(jobRequest(client, 6, ALICE, id, { outputType: 0 })),
      );
      assert.match(out.map((m) => m.output ?? "").join(""), /survived/);
    });
    await Deno.remove(first.scratch, { recursive: true });
  },
);
