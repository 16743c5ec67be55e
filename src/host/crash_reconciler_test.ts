import assert from "node:assert/strict";
import { createLogger } from "../log/mod.ts";
import { ErrorCode, type Job, LauncherError } from "../sdk/mod.ts";
import { crashMessage, CrashReconciler, type CrashReconcilerOptions } from "./crash_reconciler.ts";
import type { CrashNotes } from "./crash_notes.ts";
import type { PluginInstance } from "./plugin_instance.ts";

const log = createLogger({ sinks: [] });
const CRASH = 'crashed: NotCapable: Plugin "p" is not permitted to query system information ' +
  '"hostname" (at /plugins/p/mod.ts:3:9)';

function instance(recover?: (jobs: Job[]) => Promise<void>): PluginInstance {
  return {
    submitJob: () => Promise.resolve({}),
    controlJob: () => Promise.resolve({ statusMessage: "ok", operationComplete: true }),
    jobOutput: async function* () {},
    clusterInfo: () => Promise.resolve({}),
    ...(recover ? { recover: (jobs: readonly Job[]) => recover([...jobs]) } : {}),
    [Symbol.asyncDispose]: () => Promise.resolve(),
  };
}

/** A reconciler over a plain job list; `failed` records what it failed and why. */
function reconciler(
  jobs: Job[],
  overrides: Partial<CrashReconcilerOptions> = {},
) {
  const failed = new Map<string, string>();
  const asked: string[] = [];
  const crashes = new CrashReconciler({
    pluginName: "p",
    liveJobs: (key) =>
      Promise.resolve(jobs.filter((job) => key === "k" && job.status === "Pending")),
    instance: (key, user) => {
      asked.push(`${key} for ${user}`);
      return Promise.resolve(instance());
    },
    breakerOpen: () => false,
    stopping: () => false,
    recover: (plugin, list) => plugin.recover!(list, { signal: new AbortController().signal }),
    fail: (id, message) => {
      failed.set(id, message);
      const job = jobs.find((j) => j.id === id);
      if (job) job.status = "Failed";
      return Promise.resolve();
    },
    log,
    ...overrides,
  });
  return { crashes, failed, asked };
}

const pending = (): Job[] => [
  { id: "1", user: "alice", status: "Pending" },
  { id: "2", user: "alice", status: "Pending" },
  { id: "3", user: "alice", status: "Finished" },
];

Deno.test("CrashReconciler hands a crashed instance's unfinished jobs to the restarted instance's recover", async () => {
  const recovered: string[][] = [];
  const { crashes, failed, asked } = reconciler(pending(), {
    instance: () => {
      asked.push("k");
      return Promise.resolve(instance((jobs) => {
        recovered.push(jobs.map((job) => job.id));
        return Promise.resolve();
      }));
    },
  });
  await crashes.crashed("k", CRASH);
  assert.deepEqual(recovered, [["1", "2"]]);
  assert.equal(failed.size, 0);
});

Deno.test("CrashReconciler fails the jobs naming the crash when the plugin does not implement recover", async () => {
  const { crashes, failed, asked } = reconciler(pending());
  await crashes.crashed("k", CRASH);
  assert.deepEqual(asked, ["k for alice"]);
  const message = 'Plugin "p" crashed: NotCapable: Plugin "p" is not permitted to query system ' +
    'information "hostname" (at /plugins/p/mod.ts:3:9); the plugin does not implement recover() ' +
    "to take it back";
  assert.deepEqual([...failed], [["1", message], ["2", message]]);
});

Deno.test("CrashReconciler fails the jobs when the breaker is open or the restart fails", async () => {
  const down = () => Promise.reject(new Error('Plugin "p" could not start: syntax error'));
  const open = reconciler(pending(), { instance: down, breakerOpen: () => true });
  await open.crashes.crashed("k", "exit code 1");
  assert.equal(
    open.failed.get("1"),
    'Plugin "p" crashed (exit code 1); it kept failing and its circuit breaker is open',
  );
  const broken = reconciler(pending(), { instance: down });
  await broken.crashes.crashed("k", "missed a health check (2000 ms)");
  assert.equal(
    broken.failed.get("2"),
    'Plugin "p" crashed (missed a health check (2000 ms)); it could not be restarted: ' +
      'Plugin "p" could not start: syntax error',
  );
});

Deno.test("CrashReconciler leaves the jobs alone while the host shuts down, when none is unfinished, or when recover fails", async () => {
  const stopping = reconciler(pending(), {
    instance: () => Promise.reject(new Error("the host is shutting down")),
    stopping: () => true,
  });
  await stopping.crashes.crashed("k", CRASH);
  assert.equal(stopping.failed.size, 0);
  const none = reconciler(pending());
  await none.crashes.crashed("other", CRASH);
  assert.deepEqual(none.asked, [], "no instance is started for an instance without live jobs");
  const again = reconciler(pending(), {
    instance: () =>
      Promise.resolve(
        instance(() =>
          Promise.reject(new LauncherError(ErrorCode.PluginRestarted, "crashed again"))
        ),
      ),
  });
  await again.crashes.crashed("k", CRASH);
  assert.equal(again.failed.size, 0, "a crash during recover is reconciled by its own report");
});

Deno.test("CrashReconciler reconciles one instance's crashes in order, each with the jobs still unfinished", async () => {
  const jobs = pending();
  const seen: string[][] = [];
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => release = resolve);
  let calls = 0;
  const { crashes } = reconciler(jobs, {
    instance: async () => {
      if (calls++ === 0) await gate;
      return instance((list) => {
        seen.push(list.map((job) => job.id));
        jobs[0]!.status = "Running";
        return Promise.resolve();
      });
    },
  });
  const first = crashes.crashed("k", CRASH);
  const second = crashes.crashed("k", "exit code 1");
  release();
  await Promise.all([first, second]);
  await crashes.settled();
  assert.deepEqual(seen, [["1", "2"], ["2"]]);
});

Deno.test("CrashReconciler.handBack at start-up fails the jobs with the cause when there is no recover", async () => {
  const { crashes, failed } = reconciler(pending());
  const taken = await crashes.handBack(
    "k",
    pending().slice(0, 1),
    'Plugin "p" could not take the job back after a host restart',
  );
  assert.equal(taken, false);
  assert.equal(
    failed.get("1"),
    'Plugin "p" could not take the job back after a host restart; the plugin does not implement recover() to take it back',
  );
});

/** Crash notes in memory, with what was done to them. */
function memoryNotes(): CrashNotes & { notes: Map<string, string> } {
  const notes = new Map<string, string>();
  return {
    notes,
    record: (key, reason) => void notes.set(key, reason),
    last: (key) => notes.get(key),
    clear: (key) => void notes.delete(key),
  };
}

Deno.test("CrashReconciler keeps a crash noted until the instance's jobs are failed or handed back", async () => {
  const notes = memoryNotes();
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => release = resolve);
  const { crashes, failed } = reconciler(pending(), {
    notes,
    instance: async () => {
      await gate;
      return instance();
    },
  });
  const reconciled = crashes.crashed("k", CRASH);
  assert.equal(notes.notes.get("k"), CRASH, "noted before the restart is awaited");
  release();
  await reconciled;
  assert.equal(failed.size, 2);
  assert.equal(notes.notes.size, 0, "the note goes once the jobs are failed");
  const stopping = reconciler(pending(), { notes, stopping: () => true });
  await stopping.crashes.crashed("k", CRASH);
  assert.equal(notes.notes.get("k"), CRASH, "a host that stops leaves the note for its restart");
});

Deno.test("CrashReconciler.afterRestart names the crash noted before the restart in the jobs it fails", async () => {
  const notes = memoryNotes();
  notes.record("k", CRASH);
  const { crashes, failed } = reconciler(pending(), { notes });
  assert.equal(await crashes.afterRestart("k", pending().slice(0, 1)), false);
  assert.equal(
    failed.get("1"),
    'Plugin "p" crashed: NotCapable: Plugin "p" is not permitted to query system information ' +
      '"hostname" (at /plugins/p/mod.ts:3:9); it could not take the job back after a host ' +
      "restart; the plugin does not implement recover() to take it back",
  );
  assert.equal(notes.last("k"), undefined, "the note is used once");
  assert.equal(await crashes.afterRestart("k", pending().slice(1, 2)), false);
  assert.equal(
    failed.get("2"),
    'Plugin "p" could not take the job back after a host restart; the plugin does not implement ' +
      "recover() to take it back",
  );
});

Deno.test("CrashReconciler.afterRestart leaves the note of a crash during its recover to that crash's reconciliation", async () => {
  const notes = memoryNotes();
  notes.record("k", "exit code 1");
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => release = resolve);
  const holder: { crashes?: CrashReconciler } = {};
  const { crashes } = reconciler(pending(), {
    notes,
    liveJobs: async () => {
      await gate;
      return [];
    },
    instance: () =>
      Promise.resolve(instance(() => {
        void holder.crashes!.crashed("k", CRASH);
        return Promise.resolve();
      })),
  });
  holder.crashes = crashes;
  await crashes.afterRestart("k", pending().slice(0, 1));
  assert.equal(notes.last("k"), CRASH, "the new crash is still noted");
  release();
  await crashes.settled();
  assert.equal(notes.last("k"), undefined, "its reconciliation (no jobs left) clears it");
});

Deno.test("crashMessage names the reported crash, or how the runner ended", () => {
  assert.equal(
    crashMessage("p", "crashed: RangeError: lost"),
    'Plugin "p" crashed: RangeError: lost',
  );
  assert.equal(crashMessage("p", "signal SIGKILL"), 'Plugin "p" crashed (signal SIGKILL)');
});
