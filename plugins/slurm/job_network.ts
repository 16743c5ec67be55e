import { ErrorCode, type Job, type JobNetwork, LauncherError } from "@launchbox/sdk";
import type { SlurmCli } from "./slurm_cli.ts";
import { parseKeyValues } from "./slurm_parse.ts";

/** Where a running job can be reached: its batch node's name and address (`scontrol show node`). */
export async function jobNetwork(
  cli: SlurmCli,
  job: Job,
  signal: AbortSignal,
): Promise<JobNetwork> {
  if (!job.host) {
    throw new LauncherError(ErrorCode.JobNotRunning, `Job ${job.id} has no node yet`);
  }
  const text = await cli.run("scontrol", ["show", "node", "-o", job.host], { signal });
  return networkOf(job.host, text);
}

/** The network of node `host` from its `scontrol show node -o` line. */
export function networkOf(host: string, text: string): JobNetwork {
  const node = parseKeyValues(text.trim());
  const address = node.get("NodeAddr") ?? "";
  return {
    host: node.get("NodeHostName") || host,
    ipAddresses: /^[\d.]+$|:/.test(address) ? [address] : [],
  };
}
