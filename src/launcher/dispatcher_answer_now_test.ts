import assert from "node:assert/strict";
import { FrameReader, FrameWriter } from "../framing/mod.ts";
import { JsonLogger } from "../log/mod.ts";
import { ErrorCode, type Job, LauncherError } from "../sdk/mod.ts";
import type { LauncherBackend } from "./backend.ts";
import { decodeMessage } from "./codec.ts";
import { answerNow, type DispatchContext } from "./dispatcher.ts";
import type { LauncherRequest } from "./messages.ts";
import { Outbox } from "./outbox.ts";
import { StatusStreams } from "./status_streams.ts";

const notUsed = (): never => {
  throw new Error("Not used by this test");
};

/** A context whose backend answers getJobNow with `now` and records what was observed. */
function context(now?: LauncherBackend["getJobNow"]) {
  const chunks: Uint8Array[] = [];
  const writer = new FrameWriter(new WritableStream({ write: (chunk) => void chunks.push(chunk) }));
  const observed: [string, boolean][] = [];
  const backend: LauncherBackend = {
    bootstrap: notUsed,
    submitJob: notUsed,
    getJob: notUsed,
    getJobs: notUsed,
    subscribeStatus: notUsed,
    controlJob: notUsed,
    jobOutput: notUsed,
    jobResourceUtil: notUsed,
    jobNetwork: notUsed,
    clusterInfo: notUsed,
    setLoadBalancerNodes: notUsed,
    reloadConfig: notUsed,
    ...(now ? { getJobNow: now } : {}),
  };
  const log = new JsonLogger({ sinks: [] });
  const ctx: DispatchContext = {
    backend,
    outbox: new Outbox(writer, log),
    statusStreams: new StatusStreams(),
    streams: new Map(),
    log,
    signal: new AbortController().signal,
    streamSignal: new AbortController().signal,
    onBootstrapped: () => {},
    observe: (type, _seconds, ok) => void observed.push([type, ok]),
  };
  const sent = async () => {
    await writer.flush();
    const messages: Record<string, unknown>[] = [];
    for await (const payload of new FrameReader(ReadableStream.from(chunks))) {
      messages.push(decodeMessage(payload));
    }
    return messages;
  };
  return { ctx, observed, sent };
}

function getJob(jobId: string, fields?: string[]): LauncherRequest {
  return {
    type: "getJob",
    requestId: 7,
    username: "alice",
    requestUsername: "alice",
    jobId,
    encodedJobId: "",
    filter: {},
    ...(fields ? { fields } : {}),
  };
}

Deno.test("answerNow answers a GetJob for one job in the same call when the backend can", async () => {
  const asked: unknown[] = [];
  const { ctx, observed, sent } = context((user, id, fields) => {
    asked.push([user, id, fields]);
    return { id, name: "now" } as Job;
  });
  assert.equal(answerNow(getJob("12", ["name"]), ctx), true);
  assert.deepEqual(asked, [["alice", "12", ["name"]]]);
  assert.equal(ctx.outbox.sent, 1, "sent before answerNow returned");
  const [reply] = await sent();
  assert.equal(reply?.messageType, 2);
  assert.equal(reply?.requestId, 7);
  assert.deepEqual(reply?.jobs, [{ id: "12", name: "now" }]);
  assert.deepEqual(observed, [["getJob", true]]);
});

Deno.test("answerNow leaves to dispatch what the backend cannot answer at once", () => {
  const { ctx, observed } = context(() => undefined);
  assert.equal(answerNow(getJob("12"), ctx), false);
  assert.equal(answerNow(getJob("*"), ctx), false, "listings always go through dispatch");
  assert.equal(answerNow({ type: "heartbeat", requestId: 0 }, ctx), false);
  assert.equal(answerNow(getJob("12"), context().ctx), false, "a backend without getJobNow");
  assert.equal(ctx.outbox.sent, 0);
  assert.deepEqual(observed, []);
});

Deno.test("answerNow turns a refusal into an Error response with its code", async () => {
  const { ctx, observed, sent } = context((user, id) => {
    throw new LauncherError(ErrorCode.JobNotFound, `Job ${id} could not be found for ${user}`);
  });
  assert.equal(answerNow(getJob("99"), ctx), true);
  const [reply] = await sent();
  assert.equal(reply?.messageType, -1);
  assert.equal(reply?.requestId, 7);
  assert.equal(reply?.errorCode, ErrorCode.JobNotFound);
  assert.equal(reply?.errorMessage, "Job 99 could not be found for alice");
  assert.deepEqual(observed, [["getJob", false]]);
});
