import assert from "node:assert/strict";
import { jobsUntil, withScratch } from "../_support/client_host.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

/** Whether a process with this pid exists. */
function alive(pid: number): boolean {
  try {
    Deno.kill(pid, "SIGCONT");
    return true;
  } catch {
    return false;
  }
}

Deno.test(
  "client host stop says which jobs stay unfinished; local keeps them running and the next host takes them back",
  opts,
  async () => {
    await withScratch("local", async (client) => {
      const submitted = await client("submit", "--command", "sleep 8; echo survived");
      assert.equal(submitted.code, 0, submitted.stderr);
      const running = await jobsUntil(client, /^1\s+Running\s+-\s+\d+\s/m);
      const pid = Number(/^1\s+Running\s+-\s+(\d+)\s/m.exec(running)![1]);
      const stopped = await client("host", "stop");
      assert.equal(stopped.code, 0, stopped.stderr);
      assert.match(
        stopped.stdout,
        /^Stopped the background host \(pid \d+\) on .*\n1 unfinished job \(1\) stays with plugin "local": .*--stop-jobs stops them first\n$/,
      );
      assert.ok(alive(pid), "the job's process group outlives the host");
      const next = await client("jobs");
      assert.match(next.stderr, /started a background host/);
      assert.match(next.stdout, /^1\s+(Running|Finished)\s/m);
      await jobsUntil(client, /^1\s+Finished\s+0\s/m);
      assert.equal((await client("output", "1")).stdout, "survived\n");
    });
  },
);

Deno.test(
  "client host stop --stop-jobs stops the running jobs and cancels the queued ones before the host",
  opts,
  async () => {
    await withScratch("local", async (client) => {
      for (const command of ["sleep 300", "sleep 301"]) {
        assert.equal((await client("submit", "--command", command)).code, 0);
      }
      const listed = await jobsUntil(client, /^1\s+Running\s+-\s+\d+\s[\s\S]*^2\s+Pending/m);
      const pid = Number(/^1\s+Running\s+-\s+(\d+)\s/m.exec(listed)![1]);
      const stopped = await client("host", "stop", "--stop-jobs");
      assert.equal(stopped.code, 0, stopped.stderr);
      assert.match(
        stopped.stdout,
        /^Ended 2 jobs \(1, 2\)\nStopped the background host \(pid \d+\) on .*\n$/,
      );
      assert.ok(!alive(pid), "nothing of the stopped job is left");
      const after = await client("jobs");
      assert.match(after.stdout, /^1\s+Finished\s+143\s/m);
      assert.match(after.stdout, /^2\s+Canceled\s/m);
    }, ["max-running=1"]);
  },
);
