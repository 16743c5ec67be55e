import { conformance } from "@launchbox/sdk/testing";
import local from "./mod.ts";

// Jobs are real process groups on this host: Stop and Kill also check that nothing of a
// job (its shell, the script's command, anything they started) is left running.
conformance(local, {
  name: "local",
  job: { command: "echo hello" },
  longRunningJob: { command: "sleep 3600" },
  stop: { status: "Finished", exitCodes: [143] },
  kill: { status: "Killed", exitCodes: [137] },
  suspendSupported: true,
  jobStartTimeoutMs: 5_000,
  jobCompleteTimeoutMs: 10_000,
  outputTimeoutMs: 5_000,
});
