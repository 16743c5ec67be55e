// Test fixture: inserts jobs into the store at `Deno.args[0]` one by one, forever, and
// prints "inserted <id>" after each insert returns, until the test SIGKILLs it.
import { JobStore } from "./job_store.ts";

const path = Deno.args[0];
if (path === undefined) throw new TypeError("Cannot run fixture: no store path given");
const store = JobStore.open(path, { expiryHours: 24 });
const encoder = new TextEncoder();
for (let i = 1;; i++) {
  const job = store.insert(
    { user: "alice", status: "Pending", name: `job ${i}`, tags: ["killed"] },
    { instanceKey: "shared", plugin: "local", idempotencyKey: `key-${i}` },
  );
  Deno.stdout.writeSync(encoder.encode(`inserted ${job.id}\n`));
}
