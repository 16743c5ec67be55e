/** The host's job store through ctx.jobs, and an answer too large for a frame. */
import { type Probe, SHARED } from "./_probe.ts";

export const JOB_STORE_PROBES: Probe[] = [
  {
    name: "jobs_get_other",
    attempt: ({ ctx, env }) => ctx.jobs.get(env.VICTIM_JOB!),
    answers: /^undefined$/,
    skip: { none: SHARED },
  },
  {
    name: "jobs_update_other",
    attempt: ({ ctx, env }) => ctx.jobs.update(env.VICTIM_JOB!, { status: "Killed" }),
    answers: /^undefined$/,
    skip: { none: SHARED },
  },
  {
    name: "jobs_list_other",
    attempt: async ({ ctx, env }) =>
      (await ctx.jobs.list()).filter((job) => job.id === env.VICTIM_JOB),
    answers: /^\[\]$/,
    skip: { none: SHARED },
  },
  {
    name: "jobs_update_own_owner",
    attempt: async ({ ctx, job, env }) => {
      const change = { user: env.VICTIM_USER, id: env.VICTIM_JOB, instanceKey: "x" };
      return (await ctx.jobs.update(job.id, change as never))?.user;
    },
    answers: /^"<attacker>"$/,
  },
  {
    name: "answer_too_large",
    attempt: async () => "x".repeat(6 * 1024 * 1024),
    fails:
      /^Plugin "<plugin>" answered with "result" of \d+ bytes, more than the 5242880 a frame may hold$/,
    logs: /^Refused a message from plugin "<plugin>": "result" of \d+ bytes/,
  },
];
