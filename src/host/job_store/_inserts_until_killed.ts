// Test fixture: inserts jobs into the store at `Deno.args[0]` forever and prints
// "inserted <id>" for each once it is acknowledged, until the test SIGKILLs it. With
// `group` as `Deno.args[1]`, the store commits per event-loop turn: 20 inserts a turn, each
// printed only after `committed()` settled (as the host acknowledges a submit).
import { JobStore } from "./job_store.ts";

const path = Deno.args[0];
if (path === undefined) throw new TypeError("Cannot run fixture: no store path given");
const group = Deno.args[1] === "group";
const store = JobStore.open(path, { expiryHours: 24, groupCommit: group });
const encoder = new TextEncoder();
const insert = (i: number) =>
  store.insert(
    { user: "alice", status: "Pending", name: `job ${i}`, tags: ["killed"] },
    { instanceKey: "shared", plugin: "local", idempotencyKey: `key-${i}` },
  );
const print = (ids: string[]) =>
  Deno.stdout.writeSync(encoder.encode(ids.map((id) => `inserted ${id}\n`).join("")));
for (let i = 1;; i += group ? 20 : 1) {
  if (!group) {
    print([insert(i).id]);
    continue;
  }
  const ids = Array.from({ length: 20 }, (_, k) => insert(i + k).id);
  await store.committed();
  print(ids);
}
