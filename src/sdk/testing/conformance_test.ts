import { conformance } from "./conformance.ts";
import { fakeScheduler } from "./_fake_scheduler.ts";

// The suite against a minimal plugin: no jobNetwork, jobResourceUtil, recover or suspend,
// so those steps show as ignored, each with its reason.
conformance(fakeScheduler(), {
  name: "fake scheduler",
  longRunningJob: { command: "sleep 3600", tags: ["long-running"] },
  jobStartTimeoutMs: 1_000,
  jobCompleteTimeoutMs: 1_000,
  outputTimeoutMs: 1_000,
});
