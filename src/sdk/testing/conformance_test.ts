import { conformance } from "./conformance.ts";
import { fakeScheduler } from "./_fake_scheduler.ts";
import { definePlugin } from "../launcher_plugin.ts";

// The suite against a minimal plugin: no jobNetwork, jobResourceUtil, recover or suspend,
// so those steps show as ignored, each with its reason.
conformance(fakeScheduler(), {
  name: "fake scheduler",
  longRunningJob: { command: "sleep 3600", tags: ["long-running"] },
  jobStartTimeoutMs: 1_000,
  jobCompleteTimeoutMs: 1_000,
  outputTimeoutMs: 1_000,
});

// A profile that cannot run here registers both tiers as ignored, the reason in their names;
// the plugin fails at its first use, so a suite that ran anyway would fail.
conformance(
  definePlugin(() => {
    throw new Error("A skipped conformance suite must not start its plugin");
  }),
  {
    name: "unreachable scheduler",
    skip: "the scheduler is not reachable",
    longRunningJob: { command: "sleep 3600" },
  },
);
