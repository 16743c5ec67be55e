import assert from "node:assert/strict";
import { JobStore } from "./job_store.ts";

const modeOf = (path: string) => (Deno.statSync(path).mode ?? 0) & 0o777;

Deno.test("JobStore.open creates the file 0600, and SQLite gives the WAL and SHM that mode", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/jobs.sqlite`;
  try {
    using store = JobStore.open(path, { expiryHours: 24 });
    store.insert({ user: "alice", status: "Pending" } as never, { instanceKey: "k", plugin: "p" });
    for (const file of [path, `${path}-wal`, `${path}-shm`]) {
      assert.equal(modeOf(file).toString(8), "600", file);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("JobStore.open narrows a store and WAL that an older version left 0644", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/jobs.sqlite`;
  try {
    JobStore.open(path, { expiryHours: 24 }).close();
    await Deno.chmod(path, 0o644);
    await Deno.writeFile(`${path}-wal`, new Uint8Array(0), { mode: 0o644 });
    await Deno.chmod(`${path}-wal`, 0o644);
    using _store = JobStore.open(path, { expiryHours: 24 });
    assert.equal(modeOf(path), 0o600);
    assert.equal(modeOf(`${path}-wal`), 0o600);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: `JobStore.open refuses a store file another user owns${
    Deno.uid() === 0 ? "" : " (skipped: chown needs root)"
  }`,
  ignore: Deno.uid() !== 0,
  async fn() {
    const dir = await Deno.makeTempDir();
    const path = `${dir}/jobs.sqlite`;
    try {
      JobStore.open(path, { expiryHours: 24 }).close();
      await Deno.chown(path, 65534, 65534);
      assert.throws(
        () => JobStore.open(path, { expiryHours: 24 }),
        /Cannot open job store ".*jobs\.sqlite": ".*jobs\.sqlite" is owned by uid 65534, not by this server's uid 0; give it to the server's user \(chown\) or remove it/,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
