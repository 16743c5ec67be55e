/** Permission prompts, and the plugin ending its Worker or runner. */
import type { Probe } from "./_probe.ts";

export const RUNNER_LIFE_PROBES: Probe[] = [
  {
    name: "permissions_request",
    attempt: async () => {
      const kinds = ["read", "write", "net", "env", "run", "sys", "ffi"] as const;
      const states = [];
      for (const name of kinds) states.push((await Deno.permissions.request({ name })).state);
      return states;
    },
    answers: /^\["denied","denied","denied","denied","denied","denied","denied"\]$/,
  },
  {
    name: "deno_exit",
    attempt: async () => Deno.exit(3),
    refused: /exit its runner \(Deno\.exit\(3\)\)/,
  },
  {
    name: "node_process_exit",
    attempt: async () => (await import("node:process")).exit(4),
    refused: /exit its runner \(Deno\.exit\(4\)\)/,
  },
  {
    name: "self_close",
    attempt: async () => (globalThis as unknown as { close(): void }).close(),
    refused: /close its Worker/,
  },
];
