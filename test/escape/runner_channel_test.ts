import assert from "node:assert/strict";
import {
  RUNNER_MAX_JOBS_REQUESTS,
  RUNNER_STREAM_MAX_QUEUED_BYTES,
} from "../../src/sandbox/constants.ts";
import type { JobsHandle } from "../../src/sdk/mod.ts";
import { job, startFixture } from "../sandbox/_runner.ts";

const FIXTURES = new URL("./fixtures", import.meta.url).pathname;

Deno.test("A plugin streaming far ahead of its reader has the stream stopped, not buffered", async () => {
  await using runner = await startFixture("streams_ahead", { fixturesDir: FIXTURES });
  const signal = AbortSignal.timeout(30_000);
  const items = runner.remote.stream("jobOutput", [job("1", "x"), "stdout"], signal);
  const iterator = items[Symbol.asyncIterator]();
  assert.equal(((await iterator.next()).value as { output: string }).output.length, 1024 * 1024);
  const stopped = `Plugin "streams_ahead" streamed more than ${RUNNER_STREAM_MAX_QUEUED_BYTES} ` +
    `bytes ahead of its reader; the stream was stopped`;
  while (!runner.logs.some((line) => line.msg === stopped)) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await assert.rejects(async () => {
    while (!(await iterator.next()).done) {
      // Items queued before the stop were dropped with it.
    }
  }, (error: Error) => error.message === stopped);
  const reply = await runner.remote.call("submitJob", [job("2", "x")], signal);
  assert.deepEqual(reply, { status: "Running" }, "the instance keeps serving");
});

Deno.test("A plugin's ctx.jobs calls beyond the in-flight bound are refused with a message", async () => {
  const never = new Promise<never>(() => {});
  const jobs: JobsHandle = { get: () => never, list: () => never, update: () => never };
  await using runner = await startFixture("floods_jobs_calls", { fixturesDir: FIXTURES, jobs });
  const signal = AbortSignal.timeout(30_000);
  const reply = await runner.remote.call("submitJob", [job("1", "x")], signal) as Record<
    string,
    unknown
  >;
  assert.equal(
    reply.statusMessage,
    `Plugin "floods_jobs_calls" has more than ${RUNNER_MAX_JOBS_REQUESTS} ctx.jobs requests ` +
      `in flight; refused "list"`,
  );
});
