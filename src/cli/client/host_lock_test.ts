import assert from "node:assert/strict";
import { acquireHostLock, isAlive, readHostLock, releaseHostLock } from "./host_lock.ts";

const record = (pid: number) => ({ pid, plugin: "local", startedAt: "2026-01-01T00:00:00Z" });

async function deadPid(): Promise<number> {
  const child = new Deno.Command("true").spawn();
  await child.status;
  return child.pid;
}

Deno.test("acquireHostLock takes a free lock (0600) and names a live holder", async () => {
  const dir = await Deno.makeTempDir({ prefix: "launchbox-lock-" });
  try {
    const path = `${dir}/host.lock`;
    assert.equal(acquireHostLock(path, record(Deno.pid)), undefined);
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    assert.equal(acquireHostLock(path, record(1))?.pid, Deno.pid);
    assert.equal(readHostLock(path)?.plugin, "local");
    releaseHostLock(path, 1); // not its lock: stays
    assert.equal(readHostLock(path)?.pid, Deno.pid);
    releaseHostLock(path, Deno.pid);
    assert.equal(readHostLock(path), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("acquireHostLock takes over a lock whose process is gone", async () => {
  const dir = await Deno.makeTempDir({ prefix: "launchbox-lock-" });
  try {
    const path = `${dir}/host.lock`;
    const dead = await deadPid();
    assert.equal(isAlive(dead), false);
    await Deno.writeTextFile(path, JSON.stringify(record(dead)));
    assert.equal(readHostLock(path), undefined, "a stale lock is not a running host");
    await Deno.writeTextFile(path, "not json");
    assert.equal(acquireHostLock(path, record(Deno.pid)), undefined);
    assert.equal(readHostLock(path)?.pid, Deno.pid);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
