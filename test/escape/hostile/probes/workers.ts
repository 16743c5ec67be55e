/** Workers asking for more than the plugin has. */
import { nodeOutcome, workerReply } from "./_helpers.ts";
import type { Probe } from "./_probe.ts";

export const WORKER_PROBES: Probe[] = [
  {
    name: "worker_more_permissions",
    attempt: () => workerReply("postMessage(1)", { deno: { permissions: { read: true } } }),
    refused: /start a Worker with more permissions than its own/,
  },
  {
    name: "worker_inherit_reads",
    attempt: () =>
      workerReply("postMessage(Deno.readTextFileSync('/etc/shadow'))", {
        deno: { permissions: "inherit" },
      }),
    refused: /read "\/etc\/shadow"/,
  },
  {
    name: "nested_worker_prints",
    // A Worker the plugin starts has no bootstrap: its console writes the runner's stdout.
    attempt: () => workerReply("console.log('hello from a nested worker')", {}),
    replaced: /^Plugin "<plugin>" instance "<instance>" wrote to its runner's stdout.*/,
  },
  {
    name: "node_worker_reads",
    attempt: async () => {
      const { Worker } = await import("node:worker_threads");
      const source = "require('node:fs').readFileSync('/etc/shadow')";
      return nodeOutcome(new Worker(source, { eval: true }));
    },
    refused: /read "\/etc\/shadow"/,
  },
];
