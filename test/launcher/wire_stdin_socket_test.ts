import assert from "node:assert/strict";
import { STDIN_SOCKET_READS } from "../../src/framing/constants.ts";
import { jobRequest, submit } from "../_support/requests.ts";
import { withHost } from "../_support/host_process.ts";
import { waitUntil } from "../_support/wait.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test(
  "A busy Launcher's requests move to the socket reader and every one is still answered",
  opts,
  async () => {
    await withHost({}, async (host) => {
      const { client } = host;
      await client.bootstrap();
      const job = await submit(client, "alice");
      // One request at a time: each is its own read, so the host soon counts enough.
      for (let i = 0; i < 2 * STDIN_SOCKET_READS; i++) {
        const reply = await client.request(jobRequest(client, 3, "alice", String(job.id)));
        assert.equal(reply.messageType, 2, JSON.stringify(reply));
      }
      // Then pipelined, and a frame that is not JSON among them.
      const replies = Array.from(
        { length: 2_000 },
        () => client.request(jobRequest(client, 3, "alice", String(job.id))),
      );
      const malformed = client.nextRequestId();
      client.sendBytes(new TextEncoder().encode(`{"messageType":3,"requestId":${malformed},`));
      for (const reply of await Promise.all(replies)) {
        assert.equal(reply.messageType, 2);
        assert.equal((reply.jobs as { id: string }[])[0]?.id, job.id);
      }
      await waitUntil(() => client.received.some((m) => m.messageType === -1));
      // SIGTERM stops the session, which closes the socket under its pending read.
      host.kill("SIGTERM");
      const status = await host.status();
      assert.equal(status.code, 0);
      assert.match(
        await host.stderr(),
        /Reading the Launcher's requests from the event loop \(node:net socket\)/,
      );
    });
  },
);
