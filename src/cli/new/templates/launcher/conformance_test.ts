import { conformance } from "@launchbox/sdk/testing";
import plugin from "./mod.ts";

// The Launchbox contract, checked in-process: submit, lifecycle, output, stop, kill and
// cancel; Stop and Kill also check that nothing of a job is left running. Run it with
// `deno task test` (the permissions are in deno.json).
conformance(plugin, {
  name: "__NAME__",
  config: { "max-running": "4" },
  job: { command: "echo hello" },
  longRunningJob: { command: "sleep 3600" },
  stop: { status: "Finished", exitCodes: [143] },
  kill: { status: "Killed", exitCodes: [137] },
  suspendSupported: false,
  jobStartTimeoutMs: 5_000,
  jobCompleteTimeoutMs: 10_000,
  outputTimeoutMs: 5_000,
});
