/**
 * `local`: runs Launcher jobs as real processes on this host. Each job is a process group
 * started from a small script that redirects its output to files and records its exit
 * code, so jobs outlive a plugin restart and are re-adopted by `recover`.
 *
 * Config (`launcher.<name>.conf`): `max-running=N` queues jobs beyond N (default unlimited).
 *
 * @module
 */
import { definePlugin, followOutputFiles } from "@launchbox/sdk";
import { JobRunner } from "./job_runner.ts";
import { sampleResources } from "./resources.ts";

export default definePlugin((ctx) => {
  const runner = new JobRunner(ctx);
  return {
    submitJob: (job) => runner.submit(job),
    controlJob: (job, operation) => runner.control(job, operation),
    jobOutput: (job, wanted, { signal }) => followOutputFiles(ctx, job, wanted, signal),
    jobResourceUtil: (job, { signal }) => sampleResources(ctx, job, signal),
    async clusterInfo() {
      const cpus = String(navigator.hardwareConcurrency);
      return {
        queues: ["local"],
        defaultQueue: "local",
        resourceLimits: [{ type: "cpuCount", defaultValue: "1", maxValue: cpus }],
      };
    },
    recover: (jobs) => runner.recover(jobs),
    async close() {
      runner.close();
    },
  };
});
