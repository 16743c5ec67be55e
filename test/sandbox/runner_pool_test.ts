import assert from "node:assert/strict";
import { withHost } from "../_support/host_process.ts";
import { submit, waitForStatus } from "../_support/requests.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

/** The pids of the host's runner children, asking `ps`. */
async function runnerPids(hostPid: number): Promise<number[]> {
  const out = await new Deno.Command("ps", {
    args: ["-o", "pid=,args=", "--ppid", String(hostPid)],
  })
    .output();
  return new TextDecoder().decode(out.stdout).split("\n")
    .filter((line) => line.includes("runner"))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

/** A process's working directory, through `readlink` (Deno reads /proc only with -A). */
async function cwdOf(pid: number): Promise<string> {
  const out = await new Deno.Command("readlink", { args: [`/proc/${pid}/cwd`] }).output();
  return new TextDecoder().decode(out.stdout).trim();
}

async function poll<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let i = 0; i < 200 && !done(value); i++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    value = await read();
  }
  return value;
}

Deno.test(
  "A pooled runner started before the first request serves the instance, in its directory",
  opts,
  async () => {
    await withHost({ args: ["--runner-pool-size=1"] }, async (host) => {
      await host.client.bootstrap();
      const [pooled] = await poll(() => runnerPids(host.pid), (pids) => pids.length === 1);
      assert.ok(pooled, "the pool starts a runner once Bootstrap is answered");
      const scratch = await Deno.realPath(host.scratch);
      assert.equal(await cwdOf(pooled), scratch, "an idle runner waits in the scratch path");
      const job = await submit(host.client, "alice");
      await waitForStatus(host.client, "alice", String(job.id), "Running");
      assert.equal(await cwdOf(pooled), `${scratch}/instances/shared`);
      // The pool starts the replacement of the runner the instance took.
      const pids = await poll(() => runnerPids(host.pid), (pids) => pids.length === 2);
      assert.equal(pids.length, 2);
      await host.stop();
      const log = await Deno.readTextFile(`${host.scratch}/log/inmemory.log`);
      const started = log.split("\n").filter(Boolean).map((line) => JSON.parse(line))
        .filter((entry) => entry.msg === "Runner started");
      assert.deepEqual(started.map((entry) => [entry.pid, entry.pooled]), [[pooled, true]]);
    });
  },
);

Deno.test("runner-pool-size=0 starts no runner before an instance needs one", opts, async () => {
  await withHost({ args: ["--runner-pool-size=0"] }, async (host) => {
    await host.client.bootstrap();
    // Long enough for a pool to have started one (the test above sees it within this).
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.deepEqual(await runnerPids(host.pid), []);
    await submit(host.client, "alice");
    assert.equal((await runnerPids(host.pid)).length, 1);
  });
});
