import assert from "node:assert/strict";
import { jobsUntil, withScratch } from "../_support/client_host.ts";
import { FAST_INMEMORY, runLaunchbox } from "../_support/host_process.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

async function whoami(): Promise<string> {
  const output = await new Deno.Command("id", { args: ["-un"] }).output();
  return new TextDecoder().decode(output.stdout).trim();
}

Deno.test(
  "a local job submitted by one command keeps running for the next, then finishes",
  opts,
  async () => {
    await withScratch("local", async (client) => {
      const submitted = await client("submit", "--command", "sleep 2; echo done");
      assert.equal(submitted.code, 0, submitted.stderr);
      assert.match(submitted.stdout, /^job 1 (Pending|Running)\n$/);
      assert.match(
        submitted.stderr,
        /started a background host \(pid \d+\); stop it with `launchbox client host stop/,
      );
      const running = await client("jobs");
      assert.equal(running.code, 0, running.stderr);
      assert.match(
        running.stdout,
        /^ID\s+STATUS\s+EXIT\s+SCHEDULER_ID\s+USER\s+NAME\n1\s+Running\s+-\s+\d+\s/,
      );
      // The invoking user by default (root too: no uid switch, and no grant of /root).
      assert.match(running.stdout, new RegExp(`^1\\s.*\\s${await whoami()}\\s+sleep 2`, "m"));
      assert.doesNotMatch(
        running.stderr,
        /started a background host/,
        "the second command reuses the host",
      );
      await jobsUntil(client, /^1\s+Finished\s+0\s+\d+\s/m);
      assert.equal((await client("output", "1")).stdout, "done\n");
    });
  },
);

Deno.test(
  "two clients at once share one background host without mixing their replies",
  opts,
  async () => {
    await withScratch("inmemory", async (client, scratch) => {
      const [a, b] = await Promise.all([
        client("submit", "--command", "a", "--name", "first", "--wait"),
        client("submit", "--command", "b", "--name", "second", "--wait"),
      ]);
      assert.equal(a.code, 0, a.stderr);
      assert.equal(b.code, 0, b.stderr);
      const idOf = (text: string) => text.match(/^job (\d+) /)?.[1];
      assert.deepEqual([idOf(a.stdout), idOf(b.stdout)].sort(), ["1", "2"]);
      for (const { stdout } of [a, b]) {
        const id = idOf(stdout);
        assert.match(stdout, new RegExp(`job ${id} Finished`));
        assert.doesNotMatch(stdout, new RegExp(`job ${id === "1" ? "2" : "1"} `));
      }
      const started = [a, b].filter((r) => /started a background host/.test(r.stderr));
      assert.equal(started.length, 1, "exactly one of them started the host");
      const status = await runLaunchbox([
        "client",
        "host",
        "status",
        "--plugin-name=inmemory",
        `--scratch-path=${scratch}`,
      ]);
      assert.equal(status.code, 0);
      assert.match(status.stdout, /A background host runs \(pid \d+\) for plugin "inmemory"/);
    }, FAST_INMEMORY);
  },
);

Deno.test(
  "client host start, status and stop; the socket is 0600 in a 0700 directory",
  opts,
  async () => {
    await withScratch("inmemory", async (_client, scratch) => {
      const host = (action: string) =>
        runLaunchbox([
          "client",
          "host",
          action,
          "--plugin-name=inmemory",
          `--scratch-path=${scratch}`,
        ]);
      assert.equal((await host("status")).code, 3);
      const started = await host("start");
      assert.equal(started.code, 0, started.stderr);
      assert.match(started.stdout, /^Started a background host \(pid (\d+)\)/);
      assert.match((await host("start")).stdout, /^A background host already runs/);
      assert.equal((await Deno.lstat(`${scratch}/client-host`)).mode! & 0o777, 0o700);
      assert.equal((await Deno.lstat(`${scratch}/client-host/host.sock`)).mode! & 0o777, 0o600);
      assert.equal((await Deno.lstat(`${scratch}/client-host/host.lock`)).mode! & 0o777, 0o600);
      const stopped = await host("stop");
      assert.match(stopped.stdout, /^Stopped the background host \(pid \d+\)/);
      assert.equal((await host("status")).code, 3);
      await assert.rejects(Deno.lstat(`${scratch}/client-host/host.sock`), Deno.errors.NotFound);
      assert.match((await host("stop")).stdout, /^No background host runs on /);
    });
  },
);

Deno.test("a command refuses a running host started with other options", opts, async () => {
  await withScratch("inmemory", async (client, scratch) => {
    assert.equal((await client("cluster")).code, 0);
    const other = await runLaunchbox([
      "client",
      "jobs",
      "--plugin-name=local",
      `--scratch-path=${scratch}`,
    ]);
    assert.equal(other.code, 2);
    assert.match(other.stderr, /runs with --plugin-name "inmemory", not "local"; stop it first/);
  }, FAST_INMEMORY);
});

Deno.test(
  "client commands have their own --help and refuse options of other commands",
  opts,
  async () => {
    const help = await runLaunchbox(["client", "submit", "--help"]);
    assert.equal(help.code, 0);
    for (
      const option of [
        "--queue Q",
        "--cpus N",
        "--memory MB",
        "--time-limit T",
        "--config NAME=VALUE",
      ]
    ) {
      assert.ok(help.stdout.includes(option), `submit --help lists ${option}`);
    }
    const wrong = await runLaunchbox(["client", "jobs", "--cpus", "2"]);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /Unknown option '--cpus'.*see launchbox client jobs --help/);
    const overview = await runLaunchbox(["client", "--help"]);
    assert.match(overview.stdout, /background host/);
    const hostHelp = (await runLaunchbox(["client", "host", "--help"])).stdout;
    assert.match(hostHelp, /start\s+start it/);
    assert.match(hostHelp, /--stop-jobs cancels the Pending jobs and stops the Running ones/);
    const misplaced = await runLaunchbox(["client", "host", "start", "--stop-jobs"]);
    assert.equal(misplaced.code, 2);
    assert.match(misplaced.stderr, /--stop-jobs is an option of client host stop, not of "start"/);
  },
);

Deno.test(
  "submit's --cpus and --memory reach the host as cpuCount and memory limits",
  opts,
  async () => {
    await withScratch("inmemory", async (client, scratch) => {
      // The host checks job limits against this profile (see README, user profiles).
      await Deno.writeTextFile(
        `${scratch}/launcher.inmemory.profiles.conf`,
        "[*]\nmax-cpus=2\nmax-mem-mb=512\n",
      );
      const cpus = await client("submit", "--command", "x", "--cpus", "4");
      assert.equal(cpus.code, 1);
      assert.match(cpus.stderr, /cpuCount/);
      const memory = await client("submit", "--command", "x", "--memory", "1024");
      assert.equal(memory.code, 1);
      assert.match(memory.stderr, /memory/);
      const ok = await client(
        "submit",
        "--command",
        "x",
        "--queue",
        "default",
        "--cpus",
        "2",
        "--memory",
        "256",
        "--time-limit",
        "1m",
        "--wait",
      );
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stdout, /job 1 Finished/);
    }, FAST_INMEMORY);
  },
);

Deno.test(
  "a queued local job starts when a slot frees, with no client command running",
  opts,
  async () => {
    await withScratch("local", async (client) => {
      assert.equal((await client("submit", "--command", "sleep 5")).code, 0);
      const queued = await client("submit", "--command", "date +%s%N");
      assert.match(queued.stdout, /^job 2 Pending\n$/);
      // No command runs while job 1 ends and job 2 starts in the freed slot.
      await new Promise((resolve) => setTimeout(resolve, 8_000));
      const looked = BigInt(Date.now()) * 1_000_000n;
      await jobsUntil(client, /^2\s+Finished\s+0\s/m);
      const started = BigInt((await client("output", "2")).stdout.trim());
      assert.ok(started < looked, "job 2 ran before the next command looked");
    }, ["max-running=1"]);
  },
);
