// Job store budgets (bench/run.ts): 100 000 jobs, GetJobs with a tag filter ≤ 50 ms; GetJob
// is on the ≥ 50 000 round trips/s path. Run: deno bench --allow-read bench/job_store_bench.ts
import { JobStore } from "../src/host/job_store/mod.ts";

const JOBS = 100_000;
const store = JobStore.open(":memory:", { expiryHours: 24 });
const users = ["alice", "bob", "carol", "dave"];
for (let i = 0; i < JOBS; i++) {
  store.insert({
    user: users[i % users.length]!,
    status: i % 10 === 0 ? "Running" : "Finished",
    submissionTime: new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString(),
    name: `job ${i}`,
    command: "sleep 1",
    tags: [`group-${i % 100}`, "all"],
    environment: [{ name: "A", value: "1" }],
  }, { instanceKey: "shared", plugin: "bench" });
}

Deno.bench("JobStore.list, 100k jobs, one tag matching 1 000", { group: "list" }, () => {
  if (store.list("*", { tags: ["group-7"] }).length !== 1_000) throw new Error("wrong count");
});

Deno.bench("JobStore.list, 100k jobs, user + two tags + status", { group: "list" }, () => {
  store.list("alice", { tags: ["group-8", "all"], statuses: ["Running", "Pending"] });
});

Deno.bench(
  "JobStore.list, 100k jobs, one tag matching 1 000, two fields",
  { group: "list" },
  () => {
    store.list("*", { tags: ["group-7"] }, ["status", "name"]);
  },
);

Deno.bench("JobStore.list, 100k jobs, a tag matching every job", { group: "list" }, () => {
  store.list("*", { tags: ["all"] });
});

let next = 0;
Deno.bench("JobStore.getVisible", { group: "get" }, () => {
  next = (next % JOBS) + 1;
  store.getVisible("*", String(next));
});

Deno.bench("JobStore.liveJobs, 10 000 of 100k live", { group: "live" }, () => {
  store.liveJobs();
});
