import assert from "node:assert/strict";
import { ErrorCode, LauncherError } from "../../src/sdk/mod.ts";
import { job, processExists, startFixture } from "./_runner.ts";

/** Each fixture does one forbidden thing in submitJob; the call fails with this message. */
const REFUSED: [string, string][] = [
  ["reads_etc_shadow", 'Plugin "reads_etc_shadow" is not permitted to read "/etc/shadow"'],
  [
    "writes_outside_instance",
    'Plugin "writes_outside_instance" is not permitted to write "/tmp/launchbox-escape-1.txt"',
  ],
  [
    "opens_network",
    'Plugin "opens_network" is not permitted to connect to "127.0.0.1:9" (add "127.0.0.1:9" to permissions.net in plugin.yaml)',
  ],
  [
    "reads_ungranted_env",
    'Plugin "reads_ungranted_env" is not permitted to read the environment variable "HOME" (add "HOME" to permissions.env in plugin.yaml)',
  ],
  [
    "runs_ungranted_program",
    'Plugin "runs_ungranted_program" is not permitted to run "/bin/sh" (add "/bin/sh" to permissions.run in plugin.yaml)',
  ],
  [
    "calls_deno_exit",
    'Plugin "calls_deno_exit" is not permitted to exit its runner (Deno.exit(3))',
  ],
];

for (const [fixture, message] of REFUSED) {
  Deno.test(`A runner refuses ${fixture} and names the plugin and what was refused`, async () => {
    await using runner = await startFixture(fixture);
    await assert.rejects(
      runner.remote.call("submitJob", [job("1", "escape")], AbortSignal.timeout(10_000)),
      (error: Error) => {
        assert.equal(error.name, "NotCapable");
        assert.equal(error.message, message);
        return true;
      },
    );
    await runner.remote.ping(2_000);
    const fine = await runner.remote.call(
      "submitJob",
      [job("2", "fine")],
      AbortSignal.timeout(5_000),
    );
    assert.deepEqual(fine, { status: "Running" }, "the instance keeps serving");
  });
}

Deno.test("A session instance cannot read another session's directory", async () => {
  const scratch = await Deno.makeTempDir();
  const instancesRoot = `${scratch}/instances`;
  try {
    const options = { instancesRoot };
    await using bob = await startFixture("reads_other_session", {
      ...options,
      instanceKey: "team/bob",
    });
    await using alice = await startFixture("reads_other_session", {
      ...options,
      instanceKey: "team/alice",
    });
    await Deno.writeTextFile(`${bob.instanceDir}/secret.txt`, "bob's secret");
    await assert.rejects(
      alice.remote.call("submitJob", [job("1", "bob")], AbortSignal.timeout(10_000)),
      new RegExp(
        `^NotCapable: Plugin "reads_other_session" is not permitted to read "${bob.instanceDir}/secret.txt"$`,
      ),
    );
    assert.notEqual(alice.remote.pid, bob.remote.pid);
    assert.equal((await Deno.stat(bob.instanceDir)).mode! & 0o777, 0o700);
  } finally {
    await Deno.remove(scratch, { recursive: true });
  }
});

Deno.test("A plugin that throws at load fails to start with its name and reason", async () => {
  await assert.rejects(
    startFixture("throws_at_load"),
    /^Error: Plugin "throws_at_load" could not start: Cannot load plugin "throws_at_load": \S*throws_at_load\/mod\.ts:4: the module threw Error: this plugin is broken on purpose/,
  );
});

Deno.test("A call that never answers is canceled by its signal and the instance serves on", async () => {
  await using runner = await startFixture("never_answers");
  const deadline = AbortSignal.timeout(300);
  await assert.rejects(
    runner.remote.call("submitJob", [job("1", "escape")], deadline),
    (error: Error) => error.name === "TimeoutError",
  );
  await runner.remote.ping(2_000);
  assert.deepEqual(
    await runner.remote.call("submitJob", [job("2", "fine")], AbortSignal.timeout(5_000)),
    { status: "Running" },
  );
});

Deno.test("A plugin looping forever misses its ping; stop kills the runner's process group", async () => {
  const runner = await startFixture("loops_forever", { stopGraceMs: 200 });
  try {
    const call = runner.remote.call("submitJob", [job("1", "escape")], AbortSignal.timeout(300));
    await assert.rejects(call, (error: Error) => error.name === "TimeoutError");
    await assert.rejects(runner.remote.ping(300), /^Error: no pong within 300 ms$/);
    assert.ok(processExists(-runner.remote.pid), "the runner is still there, spinning");
    await runner.remote.stop();
    assert.equal(await runner.remote.exited, "signal SIGKILL");
    assert.equal(processExists(-runner.remote.pid), false);
  } finally {
    await runner[Symbol.asyncDispose]();
  }
});

Deno.test("A plugin exhausting memory ends only its runner; calls in flight fail clearly", async () => {
  await using runner = await startFixture("exhausts_memory");
  await assert.rejects(
    runner.remote.call("submitJob", [job("1", "escape")], AbortSignal.timeout(60_000)),
    (error: Error) => {
      assert.ok(error instanceof LauncherError);
      assert.equal(error.code, ErrorCode.PluginRestarted);
      assert.match(
        error.message,
        /^Plugin "exhausts_memory" instance "shared" stopped \((signal SIG\w+|exit code \d+)\) before answering$/,
      );
      return true;
    },
  );
  assert.notEqual(await runner.remote.exited, "exit code 0");
  await using other = await startFixture("never_answers");
  await other.remote.ping(2_000);
});

Deno.test("A plugin writing to stdout breaks only its own channel, and the runner is killed", async () => {
  await using runner = await startFixture("writes_stdout");
  await assert.rejects(
    runner.remote.call("submitJob", [job("1", "escape")], AbortSignal.timeout(10_000)),
    /^LauncherError: Plugin "writes_stdout" instance "shared" wrote to its runner's stdout, which carries only frames \(.*\); the runner was stopped$/,
  );
  const broke = runner.logs.find((line) =>
    line.msg === "The runner broke its channel; stopping it"
  );
  assert.ok(broke, "the broken channel is logged");
  assert.equal(broke.fields.plugin, "writes_stdout");
});

Deno.test("A runner grants the sys names in permissions.sys and refuses the others naming the key", async () => {
  await using runner = await startFixture("queries_hostname");
  const granted = await runner.remote.call(
    "submitJob",
    [job("1", "hostname")],
    AbortSignal.timeout(10_000),
  );
  assert.deepEqual(granted, { status: "Running", statusMessage: Deno.hostname() });
  await assert.rejects(
    runner.remote.call("submitJob", [job("2", "release")], AbortSignal.timeout(10_000)),
    (error: Error) => {
      assert.equal(
        error.message,
        'Plugin "queries_hostname" is not permitted to query system information "osRelease" ' +
          '(add "osRelease" to permissions.sys in plugin.yaml)',
      );
      return true;
    },
  );
});
