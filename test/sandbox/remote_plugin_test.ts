import assert from "node:assert/strict";
import { ConfigReloadError, ErrorCode, LauncherError } from "../../src/sdk/mod.ts";
import { job, memoryJobs, processExists, startFixture } from "./_runner.ts";

const signal = () => AbortSignal.timeout(10_000);

Deno.test("RemotePlugin answers submitJob from the runner and serves ctx.jobs from the host", async () => {
  const jobs = memoryJobs([job("j1", "first")]);
  await using runner = await startFixture("answers_every_call", { jobs });
  const reply = await runner.remote.call("submitJob", [job("j1", "first")], signal());
  assert.deepEqual(reply, { status: "Running", host: "shared" });
  assert.deepEqual(jobs.updates, [["j1", { statusMessage: "seen first" }]]);
  assert.equal(await Deno.readTextFile(`${runner.instanceDir}/j1.txt`), "shared");
});

Deno.test("RemotePlugin passes the calling user to clusterInfo", async () => {
  await using runner = await startFixture("answers_every_call");
  assert.deepEqual(await runner.remote.call("clusterInfo", [], signal(), "bob"), {
    queues: ["bob"],
  });
});

Deno.test("RemotePlugin rebuilds LauncherError with its code and ConfigReloadError with its stage", async () => {
  await using runner = await startFixture("answers_every_call");
  await assert.rejects(
    runner.remote.call("controlJob", [job("j2", "x"), "kill"], signal()),
    (error) => {
      assert.ok(error instanceof LauncherError);
      assert.equal(error.code, ErrorCode.JobNotRunning);
      assert.equal(error.message, "Job j2 is not running");
      return true;
    },
  );
  await assert.rejects(runner.remote.call("reloadConfig", [], signal()), (error) => {
    assert.ok(error instanceof ConfigReloadError);
    assert.equal(error.stage, "validate");
    assert.equal(error.message, 'queue "gpu" has no nodes');
    return true;
  });
});

Deno.test("RemotePlugin streams items and cancels the plugin's stream when the consumer stops", async () => {
  await using runner = await startFixture("answers_every_call");
  const seen: unknown[] = [];
  for await (const item of runner.remote.stream("jobOutput", [job("j3", "x"), "both"], signal())) {
    seen.push(item);
    if (seen.length === 3) break;
  }
  assert.deepEqual(seen, [0, 1, 2].map((i) => ({ output: `line ${i}\n`, outputType: "stdout" })));
  await waitFor(() => runner.logs.some((line) => line.msg === "Output canceled"));
  const canceled = runner.logs.find((line) => line.msg === "Output canceled")!;
  assert.equal(canceled.fields.job, "j3");
});

Deno.test("Runner log lines and plugin console output reach the host tagged with plugin and instance", async () => {
  await using runner = await startFixture("answers_every_call", {
    jobs: memoryJobs([job("j4", "x")]),
  });
  await runner.remote.call("submitJob", [job("j4", "x")], signal());
  const printed = runner.logs.find((line) => line.msg === "submitting j4");
  assert.ok(printed, "console.log became a log line");
  assert.deepEqual(printed.fields, {
    plugin: "answers_every_call",
    instance: "shared",
    source: "console",
  });
  const pretending = runner.logs.find((line) => line.msg === "Pretending");
  assert.deepEqual(pretending?.fields, {
    plugin: "answers_every_call",
    instance: "shared",
    plugin_plugin: "someone-else",
    plugin_instance: "other",
    job: "j4",
  });
});

Deno.test("RemotePlugin.stop lets the plugin close, then the runner exits by itself", async () => {
  const runner = await startFixture("answers_every_call");
  try {
    assert.deepEqual([...runner.remote.methods].sort(), [
      "clusterInfo",
      "controlJob",
      "jobOutput",
      "recover",
      "reloadConfig",
      "submitJob",
    ]);
    await runner.remote.stop(5_000);
    assert.equal(await runner.remote.exited, "exit code 0");
    assert.ok(runner.logs.some((line) => line.msg === "Closing"));
    assert.equal(processExists(-runner.remote.pid), false, "the process group is gone");
  } finally {
    await runner[Symbol.asyncDispose]();
  }
});

Deno.test("A call after the runner ended fails at once, naming the plugin and how it ended", async () => {
  await using runner = await startFixture("answers_every_call");
  Deno.kill(-runner.remote.pid, "SIGKILL");
  assert.equal(await runner.remote.exited, "signal SIGKILL");
  await assert.rejects(
    runner.remote.call("clusterInfo", [], signal(), "bob"),
    /^LauncherError: Plugin "answers_every_call" instance "shared" stopped \(signal SIGKILL\) before answering$/,
  );
  await assert.rejects(runner.remote.ping(1_000), LauncherError);
});

/** Polls `done` every 20 ms for up to 5 s. */
async function waitFor(done: () => boolean): Promise<void> {
  for (let i = 0; i < 250 && !done(); i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.ok(done(), "condition not met within 5 s");
}

Deno.test("RemotePlugin hands recover more jobs than fit in one frame, and serves a list as long", async () => {
  // About 300 bytes a job: 40 000 jobs are 12 MB of JSON, over the 5 MiB frame limit.
  const many = Array.from({ length: 40_000 }, (_, i) => ({
    ...job(`j${i}`, `job ${i} ${"x".repeat(200)}`),
  }));
  await using runner = await startFixture("answers_every_call", { jobs: memoryJobs(many) });
  await runner.remote.call("recover", [many], AbortSignal.timeout(60_000));
  const recovered = runner.logs.find((line) => line.msg === "Recovered");
  assert.ok(recovered, "the plugin logged what it recovered");
  assert.equal(recovered.fields.jobs, 40_000);
  assert.equal(recovered.fields.listed, 40_000);
  assert.equal(recovered.fields.last, many.at(-1)!.name);
  assert.equal(recovered.fields.lastListed, many.at(-1)!.name);
  assert.ok(!runner.logs.some((line) => line.msg === "Cannot write to the runner"));
});

Deno.test("RemotePlugin answers a burst of calls sent in one turn, each with its own reply", async () => {
  // Below the 64 ctx.jobs requests a runner may have in flight (each call makes two).
  const many = Array.from({ length: 30 }, (_, i) => job(`b${i}`, `burst ${i}`));
  const jobs = memoryJobs(many);
  await using runner = await startFixture("answers_every_call", { jobs });
  const replies = await Promise.all(
    many.map((each) => runner.remote.call("submitJob", [each], signal())),
  );
  assert.deepEqual(replies, many.map(() => ({ status: "Running", host: "shared" })));
  const seen = new Map(jobs.updates.map(([id, change]) => [id, change.statusMessage]));
  for (const each of many) assert.equal(seen.get(each.id), `seen ${each.name}`);
  const printed = runner.logs.filter((line) => line.msg.startsWith("submitting b"));
  assert.equal(printed.length, many.length, "every log line of the burst arrived");
});

/** A long-lived signal that counts the abort listeners still attached to it. */
function countingSignal(): { signal: AbortSignal; attached: () => number; abort: () => void } {
  const controller = new AbortController();
  const signal = controller.signal;
  const live = new Set<unknown>();
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  Object.assign(signal, {
    addEventListener(type: string, listener: EventListener, options?: AddEventListenerOptions) {
      live.add(listener);
      add(type, listener, options);
    },
    removeEventListener(type: string, listener: EventListener) {
      live.delete(listener);
      remove(type, listener);
    },
  });
  return { signal, attached: () => live.size, abort: () => controller.abort() };
}

Deno.test("RemotePlugin leaves no abort listener on a long-lived signal once calls and streams end", async () => {
  await using runner = await startFixture("answers_every_call");
  const { signal, attached } = countingSignal();
  for (let i = 0; i < 5; i++) {
    await runner.remote.call("clusterInfo", [], signal, "bob");
  }
  for await (const _ of runner.remote.stream("jobOutput", [job("j9", "x"), "both"], signal)) {
    break;
  }
  assert.equal(attached(), 0, "each finished call had kept a listener (and a cancel to send)");
});
