import { conformance } from "@launchbox/sdk/testing";
import inmemory from "./mod.ts";

// Fast timings: Pending 50 ms, Running 300 ms, a line of output every 50 ms. Jobs tagged
// `long-running` run until stopped.
conformance(inmemory, {
  name: "inmemory",
  config: { "pending-ms": "50", "run-ms": "300", "tick-ms": "50" },
  job: { name: "quick", command: "echo hello" },
  longRunningJob: { name: "session", command: "sleep infinity", tags: ["long-running"] },
  stop: { status: "Finished", exitCodes: [143] },
  kill: { status: "Killed", exitCodes: [137] },
  outputAvailable: true,
  suspendSupported: true,
  networkAvailable: true,
  jobStartTimeoutMs: 2_000,
  jobCompleteTimeoutMs: 3_000,
  outputTimeoutMs: 2_000,
});
