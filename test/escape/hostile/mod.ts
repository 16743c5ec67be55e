/**
 * The hostile plugin: `submitJob` runs the probe named by the job (see `probes.ts`) and
 * answers with what the probe got, as JSON in the status message. A job named `harmless`
 * does nothing; `recover` takes every job back as it is. The test harness copies this folder into a temporary plugins directory
 * once per isolation level, with a manifest for that level.
 */
import { definePlugin, type LauncherPlugin, type PluginContext } from "../../../src/sdk/mod.ts";
import { PROBES } from "./probes.ts";

export default definePlugin((ctx) => hostile(ctx));

function hostile(ctx: PluginContext): LauncherPlugin {
  return {
    async submitJob(job) {
      if (job.name === "harmless") return { status: "Running", statusMessage: "harmless" };
      const probe = PROBES.find((p) => p.name === job.name);
      if (!probe) throw new TypeError(`No probe named "${job.name}"`);
      const env = Object.fromEntries((job.environment ?? []).map((v) => [v.name, v.value]));
      const got = await probe.attempt({ ctx, job, env });
      return { status: "Running", statusMessage: JSON.stringify(got) ?? "undefined" };
    },
    // Takes every job back as it is. Without it, a probe that crashes the shared instance
    // (level none) would fail every user's unfinished jobs, as the crash reconciler does
    // for a plugin that cannot take its jobs back.
    async recover() {},
    async controlJob() {
      return { statusMessage: "ok", operationComplete: true };
    },
    async *jobOutput() {},
    async clusterInfo() {
      return { queues: [ctx.pluginName] };
    },
  };
}
