import assert from "node:assert/strict";
import type { Message } from "../../src/launcher/launcher_client.ts";
import { withHost } from "../_support/host_process.ts";
import { waitUntil } from "../_support/wait.ts";
import { jobRequest, submit, waitForStatus } from "../_support/requests.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
type Sequence = { requestId: number; seqId: number };

const statusMessages = (received: Message[]) => received.filter((m) => m.messageType === 3);
const sequencesOf = (message: Message) => message.sequences as Sequence[];

/** Each stream's seqIds, in the order its messages arrived. */
function seqIdsByStream(messages: Message[]): Map<number, number[]> {
  const byStream = new Map<number, number[]>();
  for (const message of messages) {
    for (const { requestId, seqId } of sequencesOf(message)) {
      byStream.set(requestId, [...(byStream.get(requestId) ?? []), seqId]);
    }
  }
  return byStream;
}

Deno.test(
  "300 status streams each get every change once, numbered without gaps, until cancelled",
  opts,
  async () => {
    await withHost({}, async ({ client }) => {
      await client.bootstrap();
      const streams = Array.from({ length: 300 }, () => jobRequest(client, 4, "alice", "*"));
      const bobs = jobRequest(client, 4, "bob", "*");
      for (const request of [...streams, bobs]) client.openStream(request);
      const first = String((await submit(client, "alice", { name: "first" })).id);
      await waitForStatus(client, "alice", first, "Finished");
      await waitUntil(() =>
        statusMessages(client.received).some((m) => m.id === first && m.status === "Finished")
      );
      const kept = streams.slice(0, 150);
      for (const request of streams.slice(150)) client.cancelStream(request);
      // A GetJob answered after the cancels shows they were read before the next submit.
      await client.request(jobRequest(client, 3, "alice", first));
      const second = String((await submit(client, "alice", { name: "second" })).id);
      await waitForStatus(client, "alice", second, "Finished");
      await waitUntil(() =>
        statusMessages(client.received).some((m) => m.id === second && m.status === "Finished")
      );

      const messages = statusMessages(client.received);
      assert.ok(messages.every((m) => m.id === first || m.id === second), "only alice's jobs");
      for (const message of messages) {
        const ids = sequencesOf(message).map((s) => s.requestId);
        assert.equal(new Set(ids).size, ids.length, "a stream listed twice in one message");
        const expected = message.id === second ? kept : streams;
        assert.deepEqual(
          [...ids].sort((a, b) => a - b),
          expected.map((r) => r.requestId).sort((a, b) => a - b),
          `message about job ${message.id} (${message.status}) lists the open streams`,
        );
      }
      const byStream = seqIdsByStream(messages);
      assert.equal(byStream.has(bobs.requestId), false, "bob's stream saw alice's jobs");
      const firstCount = messages.filter((m) => m.id === first).length;
      for (const request of streams) {
        const seqIds = byStream.get(request.requestId)!;
        const count = kept.includes(request) ? messages.length : firstCount;
        assert.deepEqual(seqIds, Array.from({ length: count }, (_, i) => i + 1));
      }
      const responseIds = messages.map((m) => m.responseId as number);
      assert.ok(responseIds.every((id, i) => i === 0 || id > responseIds[i - 1]!));
    });
  },
);
