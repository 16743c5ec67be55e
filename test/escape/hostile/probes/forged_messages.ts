/** Forged messages to the runner and the host, posted on the Worker's channel. */
import { post } from "./_helpers.ts";
import type { Probe } from "./_probe.ts";

export const FORGED_MESSAGE_PROBES: Probe[] = [
  {
    name: "post_forged_jobs_update",
    attempt: async ({ env }) => {
      post({ t: "jobs", id: 1e9, op: "update", args: [env.VICTIM_JOB, {}] });
      post({ t: "jobs", id: 1e9 + 1, op: "delete", args: [env.VICTIM_JOB] });
      return "posted";
    },
    answers: /^"posted"$/,
    logs: /^Refused a message from plugin "<plugin>": "jobs" has unknown operation "delete"$/,
  },
  {
    name: "post_ill_typed",
    attempt: async () => {
      const forged: unknown[] = [
        5,
        null,
        "text",
        { t: "ready", methods: 5 },
        { t: "error", id: 1, error: null },
        { t: "log", level: { toString: 1 }, msg: ["x"], fields: 7 },
        { t: "result", id: "1" },
        { t: "item", id: 1e9, value: 1 },
        { t: "unheard-of" },
      ];
      for (const message of forged) post(message);
      return "posted";
    },
    answers: /^"posted"$/,
    logs: /^Refused a message from plugin "<plugin>": "ready" must list known plugin methods$/,
  },
  {
    name: "post_not_serialisable",
    attempt: async () => {
      const cyclic: Record<string, unknown> = { t: "log", level: "info", msg: "cyclic" };
      cyclic.self = cyclic;
      post(cyclic);
      post({ t: "log", level: "info", msg: "big", fields: { n: 1n } });
      post(undefined);
      return "posted";
    },
    answers: /^"posted"$/,
    logs:
      /^Refused a message from plugin "<plugin>": "log" cannot be sent as JSON \(Converting circular structure/,
  },
  {
    name: "post_huge_log",
    attempt: async () => {
      post({ t: "log", level: "info", msg: "x".repeat(8 * 1024 * 1024) });
      return "posted";
    },
    answers: /^"posted"$/,
    // The runner cuts a long log message to the line limit before it becomes a frame.
    logs: /^x{16384}… \[cut \d+ bytes\]$/,
  },
  {
    name: "log_flood",
    attempt: async ({ ctx }) => {
      for (let i = 0; i < 20_000; i++) ctx.log.info("flood");
      return "logged";
    },
    answers: /^"logged"$/,
    logs: /^Plugin "<plugin>" logged more than 200 lines per second: \d+ lines dropped$/,
  },
  {
    name: "post_fatal",
    attempt: async () => {
      post({ t: "fatal", error: { name: "Error", message: "forged" } });
      return "posted";
    },
    answers: /^"posted"$/,
    logs: /^Refused a message from plugin "<plugin>": "fatal" after the plugin was loaded$/,
  },
  {
    name: "post_stopped",
    attempt: async () => {
      post({ t: "stopped" });
      return "posted";
    },
    answers: /^"posted"$/,
    logs: /^Refused a message from plugin "<plugin>": "stopped" before the host asked it to stop$/,
  },
];
