import assert from "node:assert/strict";
import { FrameReader, FrameWriter } from "../framing/mod.ts";
import { JsonLogger } from "../log/mod.ts";
import type { ClusterInfo } from "../sdk/mod.ts";
import type { LauncherBackend } from "./backend.ts";
import { LauncherClient } from "./launcher_client.ts";
import { LauncherSession } from "./session.ts";

const notUsed = (): never => {
  throw new Error("Not used by this test");
};

/** A backend whose clusterInfo calls wait until the test settles them, in any order. */
function fakeBackend() {
  const calls: { signal: AbortSignal; answer: PromiseWithResolvers<ClusterInfo> }[] = [];
  let subscribed = 0;
  const backend: LauncherBackend = {
    bootstrap: () => Promise.resolve(),
    submitJob: notUsed,
    getJob: notUsed,
    getJobs: () => Promise.resolve([]),
    subscribeStatus: () => {
      subscribed++;
      return () => void subscribed--;
    },
    controlJob: notUsed,
    jobOutput: notUsed,
    jobResourceUtil: notUsed,
    jobNetwork: notUsed,
    clusterInfo: (_user, signal) => {
      const answer = Promise.withResolvers<ClusterInfo>();
      calls.push({ signal, answer });
      return answer.promise;
    },
    setLoadBalancerNodes: () => Promise.resolve(),
    reloadConfig: () => Promise.resolve({ ok: true }),
  };
  return { backend, calls, subscribed: () => subscribed };
}

/** A session wired to a LauncherClient through two TransformStreams, logging to an array. */
function connect(drainTimeoutMs = 5000) {
  const toSession = new TransformStream<Uint8Array, Uint8Array>();
  const fromSession = new TransformStream<Uint8Array, Uint8Array>();
  const fake = fakeBackend();
  const lines: Record<string, unknown>[] = [];
  const session = new LauncherSession({
    reader: new FrameReader(toSession.readable),
    writer: new FrameWriter(fromSession.writable),
    backend: fake.backend,
    log: new JsonLogger({ sinks: [{ writeLine: (line) => lines.push(JSON.parse(line)) }] }),
    heartbeatIntervalMs: 0,
    drainTimeoutMs,
  });
  const client = new LauncherClient(fromSession.readable, toSession.writable);
  return { session, client, lines, ...fake };
}

/** Waits (bounded) until `check` holds; the bound only turns a hang into a failure. */
async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

const clusterInfo = (requestId: number) => ({ messageType: 9, requestId, username: "alice" });

Deno.test("LauncherSession answers a heartbeat while a backend call is pending", async () => {
  const { session, client, calls } = connect();
  await using _ = client;
  const running = session.run();
  const info = client.request(clusterInfo(1));
  await until(() => calls.length === 1, "the clusterInfo call");
  client.send({ messageType: 0, requestId: 0 });
  await until(() => client.heartbeats.length === 1, "the heartbeat");
  assert.deepEqual(client.heartbeats, [{ messageType: 0, requestId: 0, responseId: 0 }]);
  assert.equal(client.received.length, 1, "the pending call has not been answered");
  calls[0]!.answer.resolve({});
  assert.equal((await info).messageType, 8);
  await client.close();
  assert.equal(await running, "eof");
});

Deno.test("LauncherSession answers requests in the order they finish", async () => {
  const { session, client, calls } = connect();
  await using _ = client;
  const running = session.run();
  const first = client.request(clusterInfo(1));
  const second = client.request(clusterInfo(2));
  await until(() => calls.length === 2, "both calls");
  calls[1]!.answer.resolve({ queues: ["second"] });
  assert.deepEqual((await second).queues, ["second"]);
  calls[0]!.answer.resolve({ queues: ["first"] });
  assert.deepEqual((await first).queues, ["first"]);
  assert.deepEqual(client.received.map((m) => [m.requestId, m.responseId]), [[2, 0], [1, 1]]);
  await client.close();
  assert.equal(await running, "eof");
});

Deno.test("LauncherSession.stop ends run with shutdown after a pending call finishes", async () => {
  const { session, client, calls, subscribed } = connect();
  await using _ = client;
  const running = session.run();
  const info = client.request(clusterInfo(1));
  await until(() => calls.length === 1, "the clusterInfo call");
  assert.equal(subscribed(), 1);
  session.stop();
  session.stop();
  let ended = false;
  void running.then(() => ended = true);
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(ended, false, "run waits for the call in flight");
  assert.equal(calls[0]!.signal.aborted, false);
  calls[0]!.answer.resolve({ defaultQueue: "q" });
  assert.equal(await running, "shutdown");
  assert.equal((await info).defaultQueue, "q", "the reply was written before run ended");
  assert.equal(subscribed(), 0, "status subscription released");
});

Deno.test("LauncherSession.stop aborts a call still pending after drainTimeoutMs", async () => {
  const { session, client, calls } = connect(30);
  await using _ = client;
  const running = session.run();
  void client.request(clusterInfo(1)).catch(() => {});
  await until(() => calls.length === 1, "the clusterInfo call");
  session.stop();
  assert.equal(await running, "shutdown");
  assert.equal(calls[0]!.signal.aborted, true, "the abandoned call is told to give up");
  calls[0]!.answer.resolve({});
});

Deno.test("LauncherSession.run ends with eof when the input closes", async () => {
  const { session, client } = connect();
  await using _ = client;
  const running = session.run();
  await client.close();
  assert.equal(await running, "eof");
});

Deno.test("LauncherSession answers a bad request with an Error and keeps going", async () => {
  const { session, client } = connect();
  await using _ = client;
  const running = session.run();
  const error = await client.request({ messageType: 42, requestId: 3 });
  assert.deepEqual(error, {
    messageType: -1,
    requestId: 3,
    responseId: 0,
    errorCode: 1,
    errorMessage: "Unsupported request: unknown messageType 42",
  });
  const reload = await client.request({ messageType: 202, requestId: 4, username: "*" });
  assert.deepEqual(reload, {
    messageType: 202,
    requestId: 4,
    responseId: 0,
    errorType: 0,
    errorMessage: "",
  });
  await client.close();
  assert.equal(await running, "eof");
});

Deno.test("LauncherSession.run ends with frame-error on a truncated frame", async () => {
  const input = new TransformStream<Uint8Array, Uint8Array>();
  const lines: Record<string, unknown>[] = [];
  const session = new LauncherSession({
    reader: new FrameReader(input.readable),
    writer: new FrameWriter(new WritableStream()),
    backend: fakeBackend().backend,
    log: new JsonLogger({ sinks: [{ writeLine: (line) => lines.push(JSON.parse(line)) }] }),
    heartbeatIntervalMs: 0,
    drainTimeoutMs: 1000,
  });
  const running = session.run();
  const writer = input.writable.getWriter();
  await writer.write(new Uint8Array([0, 0, 0, 100, 123, 34]));
  await writer.close();
  assert.equal(await running, "frame-error");
  const line = lines.find((l) => l.msg === "Closing the Launcher channel after a framing error");
  assert.match(String(line?.error), /stream ended after 6 of 104 bytes/);
});
