/**
 * The slurm plugin end to end: the real host runs it as the job's user (lbtest_alice)
 * against the checkout's private single-node Slurm (scripts/slurm-up; slurmMissing sets
 * SLURM_CONF, which the host passes on to the plugin). Skipped, with the reason in the
 * test name, when sinfo does not answer or the test users cannot exist.
 */
import assert from "node:assert/strict";
import { spawnHost, withHost } from "../_support/host_process.ts";
import { collect, jobRequest, submit, userRequest, waitForStatus } from "../_support/requests.ts";
import { ensureTestUsers, TEST_USERS } from "../_support/system_users.ts";
import { slurmMissing } from "../../plugins/slurm/slurm_available.ts";

const skip = (await slurmMissing()) ?? (await ensureTestUsers());
const opts = { sanitizeOps: false, sanitizeResources: false, ignore: skip !== undefined };
const named = (name: string) => skip ? `${name} (skipped: ${skip})` : name;
const ALICE = TEST_USERS[0];
const slurm = { pluginName: "slurm", config: ["poll-ms=200", "output-poll-ms=100"] };
/** Slurm jobs start within seconds here; the bound only keeps a broken cluster from hanging. */
const WAIT_MS = 60_000;
const HELD = { config: [{ name: "begin", value: "now+3600" }] };

Deno.test(
  named("slurm runs a job as its user with stdin, environment and directory, and its exit code"),
  opts,
  async () => {
    await withHost(slurm, async ({ client }) => {
      await client.bootstrap();
      const job = await submit(client, ALICE, {
        command: 'read line; echo "$line $GREETING $(id -un) $(pwd)"; echo oops >&2; exit 3',
        stdin: "hello\n",
        environment: [{ name: "GREETING", value: "it's me" }],
        workingDirectory: "/tmp",
      });
      assert.match(String((job.metadata as Record<string, unknown>).slurmJobId), /^\d+$/);
      const id = String(job.id);
      const done = await waitForStatus(client, ALICE, id, "Finished", WAIT_MS);
      assert.equal(done.exitCode, 3);
      assert.equal(done.statusMessage, "Exited with code 3");
      assert.deepEqual(done.queues, ["debug"]);
      const out = await collect(
        client.openStream(jobRequest(client, 6, ALICE, id, { outputType: 0 })),
      );
      assert.equal(text(out), `hello it's me ${ALICE} /tmp\n`);
      const err = await collect(
        client.openStream(jobRequest(client, 6, ALICE, id, { outputType: 1 })),
      );
      assert.equal(text(err), "oops\n");
    });
  },
);

Deno.test(named("slurm streams output while the job runs, until it ends"), opts, async () => {
  await withHost(slurm, async ({ client }) => {
    await client.bootstrap();
    const job = await submit(client, ALICE, {
      command: "echo first; sleep 1; echo second",
      name: "streamed",
    });
    const out = await collect(
      client.openStream(jobRequest(client, 6, ALICE, String(job.id), { outputType: 2 })),
    );
    assert.equal(text(out), "first\nsecond\n");
    assert.equal(out.at(-1)?.complete, true);
    assert.equal(
      (await waitForStatus(client, ALICE, String(job.id), "Finished", WAIT_MS)).exitCode,
      0,
    );
  });
});

Deno.test(named("slurm stops, kills and cancels jobs through scancel"), opts, async () => {
  await withHost(slurm, async ({ client }) => {
    await client.bootstrap();
    const control = (id: string, operation: number) =>
      client.request(jobRequest(client, 5, ALICE, id, { operation }));
    const stopped = String((await submit(client, ALICE, { command: "sleep 300" })).id);
    const killed = String((await submit(client, ALICE, { command: "sleep 300" })).id);
    const held = await submit(client, ALICE, { command: "true", ...HELD });
    await waitForStatus(client, ALICE, stopped, "Running", WAIT_MS);
    await waitForStatus(client, ALICE, killed, "Running", WAIT_MS);
    assert.equal(held.status, "Pending");
    assert.match(String((await control(stopped, 2)).statusMessage), /^Job Stop /);
    assert.equal((await waitForStatus(client, ALICE, stopped, "Finished", WAIT_MS)).exitCode, 143);
    await control(killed, 3);
    const end = await waitForStatus(client, ALICE, killed, "Killed", WAIT_MS);
    assert.ok([137, 143].includes(Number(end.exitCode)), `exit code ${end.exitCode}`);
    const pending = await waitForStatus(client, ALICE, String(held.id), "Pending", WAIT_MS);
    assert.equal(pending.statusMessage, "Waiting in Slurm: BeginTime");
    await control(String(held.id), 4);
    const canceled = await waitForStatus(client, ALICE, String(held.id), "Canceled", WAIT_MS);
    assert.equal(canceled.statusMessage, "Canceled before it started");
  });
});

Deno.test(
  named("slurm samples a running job with sstat and refuses suspend to a non-operator"),
  opts,
  async () => {
    await withHost(slurm, async ({ client }) => {
      await client.bootstrap();
      const id = String((await submit(client, ALICE, { command: "sleep 300" })).id);
      await waitForStatus(client, ALICE, id, "Running", WAIT_MS);
      const usage = jobRequest(client, 7, ALICE, id);
      const samples = client.openStream(usage)[Symbol.asyncIterator]();
      const sample = (await samples.next()).value as Record<string, unknown>;
      client.cancelStream(usage);
      assert.equal(sample.messageType, 6, JSON.stringify(sample));
      assert.ok(Number(sample.residentMemory) > 0, JSON.stringify(sample));
      const reply = await client.request(jobRequest(client, 5, ALICE, id, { operation: 0 }));
      assert.equal(reply.errorCode, 9, JSON.stringify(reply));
      assert.match(String(reply.errorMessage), /only root and operators/);
      await client.request(jobRequest(client, 5, ALICE, id, { operation: 3 }));
      await waitForStatus(client, ALICE, id, "Killed", WAIT_MS);
    });
  },
);

Deno.test(
  named("slurm cluster info lists the debug partition and the node's limits"),
  opts,
  async () => {
    await withHost(slurm, async ({ client }) => {
      await client.bootstrap();
      const info = await client.request(userRequest(client, 9, ALICE));
      assert.deepEqual(info.queues, ["debug"]);
      assert.equal(info.defaultQueue, "debug");
      const types = (info.resourceLimits as { type: string }[]).map((limit) => limit.type);
      assert.deepEqual(types, ["cpuCount", "memory", "time"]);
    });
  },
);

Deno.test(
  named("slurm re-adopts a job that kept running while the host was killed"),
  opts,
  async () => {
    const first = await spawnHost(slurm);
    first.keepScratch();
    let id = "";
    try {
      await first.client.bootstrap();
      id = String((await submit(first.client, ALICE, { command: "sleep 2; echo survived" })).id);
    } finally {
      first.kill("SIGKILL");
      await first[Symbol.asyncDispose]();
    }
    await withHost({ ...slurm, scratch: first.scratch }, async ({ client }) => {
      await client.bootstrap();
      assert.equal((await waitForStatus(client, ALICE, id, "Finished", WAIT_MS)).exitCode, 0);
      const out = await collect(
        client.openStream(jobRequest(client, 6, ALICE, id, { outputType: 0 })),
      );
      assert.equal(text(out), "survived\n");
    });
    await Deno.remove(first.scratch, { recursive: true });
  },
);

function text(messages: Record<string, unknown>[]): string {
  return messages.filter((m) => !m.complete).map((m) => m.output ?? "").join("");
}
