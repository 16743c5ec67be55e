import assert from "node:assert/strict";
import { withHost } from "../_support/host_process.ts";
import { jobRequest, submit, userRequest } from "../_support/requests.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const text = new TextEncoder();

Deno.test("Malformed frames get error responses and the session goes on", opts, async () => {
  await withHost({}, async ({ client }) => {
    await client.bootstrap();
    const cases: [Uint8Array, number, RegExp][] = [
      [text.encode("{not json"), 2, /not UTF-8 JSON/],
      [new Uint8Array([0xff, 0xfe, 0x00, 0x7b]), 2, /not UTF-8 JSON/],
      [text.encode("[1,2,3]"), 2, /not a JSON object/],
      [text.encode('{"messageType":3}'), 2, /missing field "requestId"/],
      [
        text.encode('{"messageType":"3","requestId":5}'),
        2,
        /field "messageType" must be an integer/,
      ],
    ];
    for (const [payload, code, message] of cases) {
      const before = client.received.length;
      client.sendBytes(payload);
      const reply = await nextMessage(client, before);
      assert.equal(reply.messageType, -1);
      assert.equal(reply.errorCode, code);
      assert.match(String(reply.errorMessage), message);
    }
    const job = await submit(client, "alice");
    assert.ok(job.id, "the host still serves requests after bad input");
  });
});

Deno.test("An unknown messageType is answered with error 1 for its requestId", opts, async () => {
  await withHost({}, async ({ client }) => {
    await client.bootstrap();
    const reply = await client.request({ messageType: 17, requestId: 41 });
    assert.deepEqual(reply, {
      messageType: -1,
      requestId: 41,
      responseId: 0,
      errorCode: 1,
      errorMessage: "Unsupported request: unknown messageType 17",
    });
  });
});

Deno.test("Missing and mistyped fields are named in error 2", opts, async () => {
  await withHost({}, async ({ client }) => {
    await client.bootstrap();
    const noUser = await client.request({ messageType: 9, requestId: 50 });
    assert.match(String(noUser.errorMessage), /missing field "username"/);
    const badTags = await client.request(jobRequest(client, 3, "alice", "*", { tags: "x" }));
    assert.match(String(badTags.errorMessage), /field "tags" must be an array of strings, got "x"/);
    const badEnv = await client.request(userRequest(client, 2, "alice", {
      job: { command: "x", environment: [{ name: "A", value: 1 }] },
    }));
    assert.equal(badEnv.errorCode, 2);
    assert.match(
      String(badEnv.errorMessage),
      /field "job\.environment\[0\]\.value" must be a string/,
    );
    const badOutput = await client.request(jobRequest(client, 6, "alice", "1", { outputType: 7 }));
    assert.match(String(badOutput.errorMessage), /field "outputType"/);
    const starNetwork = await client.request(jobRequest(client, 8, "alice", "*"));
    assert.match(String(starNetwork.errorMessage), /"jobId" must name one job/);
  });
});

Deno.test(
  "A response too large for one frame becomes an error, not a broken channel",
  opts,
  async () => {
    await withHost({}, async ({ client }) => {
      await client.bootstrap();
      const big = "x".repeat(2_000_000);
      for (let i = 0; i < 3; i++) await submit(client, "alice", { stdin: big, tags: ["big"] });
      const reply = await client.request(jobRequest(client, 3, "alice", "*", { tags: ["big"] }));
      assert.equal(reply.messageType, -1);
      assert.match(String(reply.errorMessage), /exceed the 5242880 byte message limit/);
      const narrowed = await client.request(
        jobRequest(client, 3, "alice", "*", { tags: ["big"], fields: ["id"] }),
      );
      assert.equal((narrowed.jobs as unknown[]).length, 3);
    });
  },
);

Deno.test(
  "An oversized frame from the Launcher ends the channel after a log line",
  opts,
  async () => {
    await withHost({}, async (host) => {
      await host.client.bootstrap();
      host.client.sendBytes(new Uint8Array(5_242_881));
      const status = await host.status();
      assert.equal(status.code, 1);
      assert.match(await host.stderr(), /declared length 5242881 exceeds limit 5242880/);
    });
  },
);

Deno.test(
  "A frame cut short by the end of input ends the channel after a log line",
  opts,
  async () => {
    await withHost({ rawStdin: true }, async (host) => {
      const frame = new Uint8Array([0, 0, 0, 100, 123, 34]);
      await host.rawStdin!.write(frame);
      await host.rawStdin!.close();
      const status = await host.status();
      assert.equal(status.code, 1);
      assert.match(await host.stderr(), /stream ended after 6 of 104 bytes/);
    });
  },
);

Deno.test(
  "Random bytes never crash the host nor put anything but frames on stdout",
  opts,
  async () => {
    await withHost({ rawStdin: true }, async (host) => {
      const garbage = new Uint8Array(4096);
      for (let i = 0; i < garbage.length; i += 4) {
        new DataView(garbage.buffer).setUint32(i, (i * 2654435761) >>> 0, false);
      }
      for (let i = 0; i < garbage.length; i += 16) garbage[i] = 0;
      await host.rawStdin!.write(garbage);
      await host.rawStdin!.close();
      const status = await host.status();
      await host.client.closed;
      assert.ok(status.code === 0 || status.code === 1, `exit ${status.code}`);
      assert.equal(host.client.readError, undefined, "stdout carried only whole JSON frames");
      assert.doesNotMatch(await host.stderr(), /Uncaught|panicked|Error: Unhandled/);
    });
  },
);

async function nextMessage(
  client: { received: Record<string, unknown>[] },
  after: number,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 5000;
  while (client.received.length <= after) {
    if (Date.now() > deadline) throw new Error("No reply within 5 s");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return client.received[after]!;
}
