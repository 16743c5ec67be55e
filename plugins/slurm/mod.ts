/**
 * `slurm`: runs Launcher jobs on a Slurm cluster through its command-line tools. Jobs go
 * in with `sbatch`, their status comes from polling `squeue` (and `sacct` when accounting
 * runs), control goes through `scancel`/`scontrol`, output is followed in the files Slurm
 * writes, resource use comes from `sstat`, and cluster info from `scontrol`/`sinfo`.
 *
 * Config (`launcher.<name>.conf`): `bin-dir` (where the Slurm programs are, default
 * `/usr/bin`), `poll-ms` (status poll, default 1000), `output-dir=home` (job files under
 * `~/.launchbox/slurm` instead of the instance directory), `output-poll-ms`,
 * `resource-poll-ms`.
 *
 * @module
 */
import { definePlugin, followOutputFiles } from "@launchbox/sdk";
import { readClusterInfo } from "./cluster_info.ts";
import { controlJob } from "./control_job.ts";
import { jobFilesRoot } from "./job_files.ts";
import { jobNetwork } from "./job_network.ts";
import { jobResources } from "./job_resources.ts";
import { JobTracker } from "./job_tracker.ts";
import { SlurmCli } from "./slurm_cli.ts";
import { recordedSlurmId, recoverJobs, submitJob } from "./submit_job.ts";

export default definePlugin((ctx) => {
  const cli = new SlurmCli(ctx.config["bin-dir"]);
  const tracker = new JobTracker(ctx, cli);
  const home = ctx.config["output-dir"] === "home" ? Deno.env.get("HOME") : undefined;
  const filesRoot = jobFilesRoot(ctx.config, ctx.instanceDir, home);
  const outputPollMs = Number(ctx.config["output-poll-ms"]) || 250;
  return {
    submitJob: (job, { signal }) => submitJob({ cli, tracker, filesRoot }, job, signal),
    controlJob: (job, operation) => controlJob({ ctx, cli, tracker }, job, operation),
    jobOutput: (job, wanted, { signal }) =>
      followOutputFiles(ctx, job, wanted, signal, { pollMs: outputPollMs }),
    jobResourceUtil: (job, { signal }) =>
      jobResources({ ctx, cli }, job, tracker.slurmId(job.id) ?? recordedSlurmId(job), signal),
    jobNetwork: (job, { signal }) => jobNetwork(cli, job, signal),
    clusterInfo: ({ signal }) => readClusterInfo(cli, signal),
    recover: (jobs) => recoverJobs({ ctx, tracker }, jobs),
    async close() {
      tracker.close();
    },
  };
});
