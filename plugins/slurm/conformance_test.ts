import { conformance } from "@launchbox/sdk/testing";
import slurm from "./mod.ts";
import { slurmMissing } from "./slurm_available.ts";

// Runs against the checkout's private single-node Slurm (scripts/slurm-up), as root (so
// suspend and resume are allowed). A stopped job ends Finished with 143 (SIGTERM), as on
// every plugin; Slurm reports a killed one with 137 or 143. The pending job is held back
// with `begin`.
const missing = await slurmMissing();
conformance(slurm, {
  name: "slurm",
  ...(missing ? { skip: missing } : {}),
  config: { "poll-ms": "200", "output-poll-ms": "100", "resource-poll-ms": "500" },
  user: Deno.env.get("USER") ?? "root",
  job: { name: "conformance", command: "echo conformance; echo to-stderr >&2" },
  longRunningJob: { name: "session", command: "sleep 300" },
  pendingJob: { name: "later", command: "true", config: [{ name: "begin", value: "now+3600" }] },
  stop: { exitCodes: [143] },
  kill: { status: "Killed", exitCodes: [137, 143] },
  suspendSupported: Deno.uid() === 0,
  jobStartTimeoutMs: 30_000,
  jobCompleteTimeoutMs: 60_000,
  outputTimeoutMs: 15_000,
});
