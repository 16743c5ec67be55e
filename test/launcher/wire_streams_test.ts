import assert from "node:assert/strict";
import type { Message } from "../../src/launcher/launcher_client.ts";
import { HELD_PENDING, withHost } from "../_support/host_process.ts";
import { waitUntil } from "../_support/wait.ts";
import { collect, jobRequest, submit, waitForStatus } from "../_support/requests.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

/** Reads a stream until `until` holds for the messages so far. */
async function readUntil(
  stream: AsyncIterable<Message>,
  until: (messages: Message[]) => boolean,
): Promise<Message[]> {
  const messages: Message[] = [];
  for await (const message of stream) {
    messages.push(message);
    if (until(messages)) break;
  }
  return messages;
}

Deno.test(
  "A status stream for * sends a snapshot, then every change with sequences",
  opts,
  async () => {
    // "before" stays Pending until the stream's snapshot is taken, however busy the machine.
    await withHost({ config: HELD_PENDING }, async ({ client }) => {
      await client.bootstrap();
      const before = await submit(client, "alice", { name: "before" });
      const request = jobRequest(client, 4, "alice", "*");
      const stream = client.openStream(request);
      const after = await submit(client, "alice", { name: "after" });
      await submit(client, "bob", { name: "not alice's" });
      const messages = await readUntil(
        stream,
        (all) =>
          all.some((m) => m.id === after.id && m.status === "Finished") &&
          all.some((m) => m.id === before.id && m.status === "Finished"),
      );
      assert.deepEqual(messages[0], {
        messageType: 3,
        requestId: 0,
        responseId: messages[0]!.responseId,
        sequences: [{ requestId: request.requestId, seqId: 1 }],
        id: before.id,
        name: "before",
        status: "Pending",
        statusMessage: "Queued",
      });
      const seqIds = messages.map((m) => (m.sequences as { seqId: number }[])[0]!.seqId);
      assert.deepEqual(seqIds, messages.map((_, i) => i + 1));
      assert.ok(messages.every((m) => m.name !== "not alice's"));
      const updates = messages.filter((m) => m.id === after.id);
      const statuses = updates.map((m) => m.status).filter((s, i, all) => s !== all[i - 1]);
      assert.deepEqual(statuses, ["Pending", "Running", "Finished"]);
      assert.ok(updates.some((m) => m.status === "Pending" && m.statusMessage === "Queued"));
      client.cancelStream(request);
    });
  },
);

Deno.test("One status message serves every open stream that watches the job", opts, async () => {
  await withHost({}, async ({ client }) => {
    await client.bootstrap();
    const job = await submit(client, "alice", { tags: ["long-running"] });
    const id = String(job.id);
    // A long-running job changes only when asked to, so all three streams are open (each has
    // its snapshot) before the change the test watches.
    await waitForStatus(client, "alice", id, "Running");
    const all = jobRequest(client, 4, "alice", "*");
    const one = jobRequest(client, 4, "alice", id);
    const admin = jobRequest(client, 4, "*", "*");
    const requests = [all, one, admin];
    for (const request of requests) client.openStream(request);
    const seenBy = (message: Message) =>
      (message.sequences as { requestId: number }[] | undefined)?.map((s) => s.requestId) ?? [];
    await waitUntil(() =>
      requests.every((r) => client.received.some((m) => seenBy(m).includes(r.requestId)))
    );
    const suspend = await client.request(jobRequest(client, 5, "alice", id, { operation: 0 }));
    assert.equal(suspend.operationComplete, true, JSON.stringify(suspend));
    await waitUntil(() => client.received.some((m) => m.status === "Suspended"));
    const suspended = client.received.filter((m) =>
      m.messageType === 3 && m.status === "Suspended"
    );
    assert.equal(suspended.length, 1);
    const requestIds = seenBy(suspended[0]!);
    assert.deepEqual(requestIds.sort(), requests.map((r) => r.requestId).sort());
  });
});

Deno.test("A cancelled status stream gets no reply and no more messages", opts, async () => {
  await withHost({}, async ({ client }) => {
    await client.bootstrap();
    const job = await submit(client, "alice");
    const request = jobRequest(client, 4, "alice", String(job.id));
    const stream = client.openStream(request);
    await readUntil(stream, (m) => m.length === 1);
    client.cancelStream(request);
    await waitForStatus(client, "alice", String(job.id), "Finished");
    const mine = client.received.filter((m) =>
      (m.sequences as { requestId: number }[] | undefined)?.some((s) =>
        s.requestId === request.requestId
      )
    );
    assert.ok(mine.length <= 2, `expected the stream to stop, got ${mine.length} messages`);
    assert.ok(!client.received.some((m) => m.requestId === request.requestId));
  });
});

Deno.test("A status stream for an invisible job ends with error 3", opts, async () => {
  await withHost({}, async ({ client }) => {
    await client.bootstrap();
    const job = await submit(client, "alice");
    const messages = await collect(client.openStream(jobRequest(client, 4, "bob", String(job.id))));
    assert.equal(messages.length, 1);
    assert.equal(messages[0]!.errorCode, 3);
  });
});

Deno.test("Output streams of one job run independently and can be cancelled", opts, async () => {
  await withHost({}, async ({ client }) => {
    await client.bootstrap();
    const id = String((await submit(client, "alice", { tags: ["long-running"] })).id);
    const stdout = jobRequest(client, 6, "alice", id, { outputType: 0 });
    const both = jobRequest(client, 6, "alice", id, { outputType: 2 });
    const first = await readUntil(client.openStream(stdout), (m) => m.length === 3);
    const mixed = await readUntil(
      client.openStream(both),
      (m) => m.some((x) => x.outputType === "stderr"),
    );
    client.cancelStream(stdout);
    client.cancelStream(both);
    assert.deepEqual(first.map((m) => m.seqId), [1, 2, 3]);
    assert.ok(first.every((m) => m.requestId === stdout.requestId && m.outputType === "stdout"));
    assert.ok(mixed.every((m) => m.requestId === both.requestId));
    await client.request(jobRequest(client, 3, "alice", id));
    const countAfterCancel = client.received.length;
    await new Promise((resolve) => setTimeout(resolve, 400));
    const late = client.received.slice(countAfterCancel).filter((m) =>
      m.requestId === stdout.requestId || m.requestId === both.requestId
    );
    assert.deepEqual(late, []);
  });
});

Deno.test("Resource streams need a running job and complete when it ends", opts, async () => {
  await withHost(
    { config: ["pending-ms=300", "run-ms=800", "tick-ms=100"] },
    async ({ client }) => {
      await client.bootstrap();
      const id = String((await submit(client, "alice")).id);
      const early = await collect(client.openStream(jobRequest(client, 7, "alice", id)));
      assert.equal(early[0]!.errorCode, 6);
      assert.equal(early[0]!.errorMessage, `Job ${id} is not running`);
      await waitForStatus(client, "alice", id, "Running");
      const request = jobRequest(client, 7, "alice", id);
      const samples = await collect(client.openStream(request));
      const last = samples.at(-1)!;
      assert.equal(last.complete, true);
      assert.deepEqual(last.sequences, [{ requestId: request.requestId, seqId: samples.length }]);
      const first = samples[0]!;
      assert.equal(first.requestId, 0);
      assert.equal(first.cpuPercent, 15);
      assert.equal(first.residentMemory, 350);
      assert.equal(first.complete, false);
    },
  );
});
