import assert from "node:assert/strict";
import {
  RUNNER_MAX_JOBS_REQUESTS,
  RUNNER_MAX_WAITING_JOBS_REQUESTS,
  RUNNER_STREAM_MAX_QUEUED_BYTES,
  RUNNER_STREAM_WINDOW_ITEMS,
} from "../../src/sandbox/constants.ts";
import type { JobsHandle } from "../../src/sdk/mod.ts";
import { job, startFixture } from "../sandbox/_runner.ts";

const FIXTURES = new URL("./fixtures", import.meta.url).pathname;

Deno.test("A plugin streaming faster than its reader waits for it, within the stream window", async () => {
  await using runner = await startFixture("streams_ahead", { fixturesDir: FIXTURES });
  const signal = AbortSignal.timeout(60_000);
  const items = runner.remote.stream("jobOutput", [job("1", "x"), "stdout"], signal);
  const iterator = items[Symbol.asyncIterator]();
  assert.equal(((await iterator.next()).value as { output: string }).output.length, 1024 * 1024);
  // The window is full (items 0-7 sent, one of them taken): the plugin waits at item 8.
  const asked = `asked for ${RUNNER_STREAM_WINDOW_ITEMS}`;
  while (!runner.logs.some((line) => line.msg === asked)) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await runner.remote.ping(10_000);
  // Unthrottled, 96 MiB would now be past the 64 MiB bound and the stream failed.
  let count = 1;
  while (!(await iterator.next()).done) count++;
  assert.equal(count, 96, "every item arrives");
  const beyond = runner.logs.filter((line) => line.msg.startsWith("asked for ")).length;
  assert.equal(beyond, 96);
});

Deno.test("A runner that streams past the window has the stream stopped, not buffered", async () => {
  await using runner = await startFixture("streams_ahead", { fixturesDir: FIXTURES });
  const signal = AbortSignal.timeout(60_000);
  const items = runner.remote.stream("jobOutput", [job("1", "bypass"), "stdout"], signal);
  const stopped = `Plugin "streams_ahead" streamed more than ${RUNNER_STREAM_MAX_QUEUED_BYTES} ` +
    `bytes ahead of its reader; the stream was stopped`;
  const iterator = items[Symbol.asyncIterator]();
  const first = iterator.next();
  while (!runner.logs.some((line) => line.msg === stopped)) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await first.catch(() => {});
  await assert.rejects(async () => {
    while (!(await iterator.next()).done) {
      // Items queued before the stop were dropped with it.
    }
  }, (error: Error) => error.message === stopped);
  const reply = await runner.remote.call("submitJob", [job("2", "x")], signal);
  assert.deepEqual(reply, { status: "Running" }, "the instance keeps serving");
});

Deno.test("A plugin's ctx.jobs calls beyond the in-flight and waiting bounds are refused with a message", async () => {
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
    `Plugin "floods_jobs_calls" has more than ` +
      `${RUNNER_MAX_JOBS_REQUESTS + RUNNER_MAX_WAITING_JOBS_REQUESTS} ctx.jobs requests ` +
      `unanswered; refused "list"`,
  );
});

Deno.test("A plugin answer or log line too large for a frame fails that call, not the runner", async () => {
  await using runner = await startFixture("answers_too_much", { fixturesDir: FIXTURES });
  const signal = AbortSignal.timeout(30_000);
  await assert.rejects(
    () => runner.remote.call("submitJob", [job("1", "big")], signal),
    /Plugin "answers_too_much" answered with "result" of \d+ bytes, more than the 5242880 a frame may hold$/,
  );
  const reply = await runner.remote.call("submitJob", [job("2", "x")], signal);
  assert.deepEqual(reply, { status: "Running" }, "the same runner keeps serving");
  assert.ok(
    runner.logs.some((line) =>
      /^Refused a message from plugin "answers_too_much": "log" of \d+ bytes, more than the 5242880 a frame may hold$/
        .test(line.msg)
    ),
  );
});
