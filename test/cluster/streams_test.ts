import assert from "node:assert/strict";
import type { LauncherClient, Message } from "../../src/launcher/launcher_client.ts";
import { privatePostgres } from "../_support/postgres.ts";
import { collect, jobRequest, submit, waitForStatus } from "../_support/requests.ts";
import { TEST_LEASE_MS, TestCluster } from "./_cluster.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const pg = await privatePostgres();
const name = (what: string) => "skip" in pg ? `${what} (skipped: ${pg.skip})` : what;
const ignore = "skip" in pg;
const url = () => (pg as { url: string }).url;

/** The chunks of an output stream, without the fields that name the request. */
function chunks(messages: Message[]) {
  return messages.map((m) => ({
    output: m.output,
    outputType: m.outputType,
    complete: m.complete,
  }));
}

async function take(stream: AsyncIterable<Message>, count: number): Promise<Message[]> {
  const got: Message[] = [];
  for await (const message of stream) if (got.push(message) === count) break;
  return got;
}

/**
 * A test on two hosts of the inmemory plugin (`config`) on one PostgreSQL: `a` owns the
 * jobs it submits, `b` is the other node. A failure carries both hosts' stderr.
 */
function twoNodeTest(
  title: string,
  config: string[],
  body: (a: LauncherClient, b: LauncherClient, cluster: TestCluster) => Promise<void>,
): void {
  Deno.test({
    name: name(title),
    ignore,
    ...opts,
    fn: async () => {
      await using cluster = await TestCluster.start(url(), config, 2);
      try {
        await body(cluster.hosts[0]!.client, cluster.hosts[1]!.client, cluster);
      } catch (error) {
        if (error instanceof Error) error.message += `\n${await cluster.stderr()}`;
        throw error;
      }
    },
  });
}

twoNodeTest("An output stream opened on another node is forwarded whole and in order", [
  "pending-ms=50",
  "run-ms=1500",
  "tick-ms=50",
], async (a, b) => {
  const id = String((await submit(a, "alice")).id);
  const [onA, onB] = await Promise.all([
    collect(a.openStream(jobRequest(a, 6, "alice", id, { outputType: 2 }))),
    collect(b.openStream(jobRequest(b, 6, "alice", id, { outputType: 2 }))),
  ]);
  assert.ok(onB.length > 20, `B got ${onB.length} messages: ${JSON.stringify(onB.at(-1))}`);
  assert.equal(onB.at(-1)!.complete, true, "the stream ends when the job does");
  assert.deepEqual(chunks(onB), chunks(onA), "B forwards exactly what A serves");
  assert.deepEqual(onB.map((m) => m.seqId), onB.map((_, i) => i + 1), "no gaps, no repeats");
  const bob = await collect(b.openStream(jobRequest(b, 6, "bob", id, { outputType: 0 })));
  assert.equal(bob[0]!.errorCode, 3, "visibility is checked as on the owner");
});

twoNodeTest("A resource stream opened on another node is forwarded and ends with the job", [
  "pending-ms=50",
  "run-ms=3000", // wide enough that a poll on a loaded machine still sees it Running
  "tick-ms=100",
], async (a, b) => {
  const id = String((await submit(a, "alice")).id);
  await waitForStatus(b, "alice", id, "Running");
  const request = jobRequest(b, 7, "alice", id);
  const samples = await collect(b.openStream(request));
  assert.ok(samples.length >= 3, JSON.stringify(samples));
  assert.equal(samples[0]!.cpuPercent, 15);
  assert.equal(samples[0]!.residentMemory, 350);
  const last = samples.at(-1)!;
  assert.equal(last.complete, true, JSON.stringify(last));
  assert.deepEqual(last.sequences, [{ requestId: request.requestId, seqId: samples.length }]);
});

twoNodeTest("A forwarded stream stops on cancel, and another one opens after it", [
  "pending-ms=50",
  "run-ms=60000",
  "tick-ms=50",
], async (a, b) => {
  const id = String((await submit(a, "alice")).id);
  const request = jobRequest(b, 6, "alice", id, { outputType: 0 });
  const first = await take(b.openStream(request), 3);
  assert.deepEqual(first.map((m) => m.seqId), [1, 2, 3]);
  b.cancelStream(request);
  await b.request(jobRequest(b, 3, "alice", id));
  const countAfterCancel = b.received.length;
  await new Promise((resolve) => setTimeout(resolve, 500));
  const late = b.received.slice(countAfterCancel).filter((m) => m.requestId === request.requestId);
  assert.deepEqual(late, [], "nothing arrives after the cancel");
  const again = await take(b.openStream(jobRequest(b, 6, "alice", id, { outputType: 0 })), 2);
  assert.deepEqual(chunks(again), chunks(first.slice(0, 2)), "a new stream starts over");
});

twoNodeTest("A forwarded stream ends with an error naming the owner when the owner is killed", [
  "pending-ms=50",
  "run-ms=60000",
  "tick-ms=50",
], async (a, b, cluster) => {
  const id = String((await submit(a, "alice")).id);
  const stream = b.openStream(jobRequest(b, 6, "alice", id, { outputType: 0 }))[
    Symbol.asyncIterator
  ]();
  assert.equal((await stream.next()).value?.seqId, 1);
  const killed = Date.now();
  cluster.hosts[0]!.kill("SIGKILL");
  let last: Message | undefined;
  for (let m = await stream.next(); !m.done; m = await stream.next()) last = m.value;
  assert.equal(last?.errorCode, 9, JSON.stringify(last));
  assert.equal(
    last?.errorMessage,
    `Cannot read the output of job ${id} on node "node-b": the job belongs to node ` +
      `"node-a", which is no longer a member of the cluster`,
  );
  assert.ok(Date.now() - killed < TEST_LEASE_MS * 4, "the stream ends soon after the lease");
});
