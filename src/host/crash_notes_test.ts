import assert from "node:assert/strict";
import { createLogger } from "../log/mod.ts";
import { FileCrashNotes } from "./crash_notes.ts";

const log = createLogger({ sinks: [] });

Deno.test("FileCrashNotes keeps one private file per instance key until cleared", async () => {
  const scratch = await Deno.makeTempDir();
  try {
    const notes = new FileCrashNotes(`${scratch}/crashes`, log);
    assert.equal(notes.last("tenant/alice"), undefined);
    notes.record("tenant/alice", "crashed: TypeError: first");
    notes.record("tenant/alice", "crashed: TypeError: second");
    notes.record("shared", "exit code 1");
    // A second host on the same scratch path (a restart) reads what the first one wrote.
    const restarted = new FileCrashNotes(`${scratch}/crashes`, log);
    assert.equal(restarted.last("tenant/alice"), "crashed: TypeError: second");
    assert.equal(restarted.last("shared"), "exit code 1");
    assert.equal((await Deno.lstat(`${scratch}/crashes`)).mode! & 0o777, 0o700);
    const files = [...Deno.readDirSync(`${scratch}/crashes`)].map((entry) => entry.name).sort();
    assert.deepEqual(files, ["shared.crash", "tenant%2Falice.crash"]);
    for (const file of files) {
      assert.equal((await Deno.lstat(`${scratch}/crashes/${file}`)).mode! & 0o777, 0o600);
    }
    restarted.clear("tenant/alice");
    restarted.clear("tenant/alice"); // clearing twice is not an error
    assert.equal(notes.last("tenant/alice"), undefined);
    assert.equal(notes.last("shared"), "exit code 1");
  } finally {
    await Deno.remove(scratch, { recursive: true });
  }
});

Deno.test("FileCrashNotes refuses a symlink in place of its directory and keeps no note", async () => {
  const scratch = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${scratch}/elsewhere`);
    await Deno.symlink(`${scratch}/elsewhere`, `${scratch}/crashes`);
    const warnings: string[] = [];
    const watched = createLogger({ sinks: [{ writeLine: (line) => void warnings.push(line) }] });
    const notes = new FileCrashNotes(`${scratch}/crashes`, watched);
    notes.record("shared", "exit code 1");
    assert.deepEqual([...Deno.readDirSync(`${scratch}/elsewhere`)], []);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /Cannot keep a note of a plugin crash/);
  } finally {
    await Deno.remove(scratch, { recursive: true });
  }
});
