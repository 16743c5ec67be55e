/** The runner's stdio: garbage and forged frames on stdout, stolen bytes on stdin. */
import { enc, frame } from "./_helpers.ts";
import type { Probe } from "./_probe.ts";

export const STDOUT_PROBES: Probe[] = [
  {
    name: "stdout_garbage",
    attempt: async () => {
      await Deno.stdout.write(enc.encode("hello from the plugin\n"));
      return await new Promise(() => {});
    },
    replaced: /^Plugin "<plugin>" instance "<instance>" wrote to its runner's stdout.*/,
  },
  {
    name: "stdout_node_fs",
    attempt: async () => {
      (await import("node:fs")).writeSync(1, "hello through fd 1\n");
      return await new Promise(() => {});
    },
    replaced: /^Plugin "<plugin>" instance "<instance>" wrote to its runner's stdout.*/,
  },
  {
    name: "stdout_forged_frame",
    attempt: async () => {
      await Deno.stdout.write(frame({ t: "log", level: "error", msg: "forged on stdout" }));
      await Deno.stdout.write(frame({ t: "jobs", id: 1e9, op: "list", args: [{}] }));
      return "written";
    },
    answers: /^"written"$/,
    logs: /^forged on stdout$/,
  },
];

/**
 * Runs last: a read left pending takes bytes of whichever frame comes next to this runner,
 * and the instance is restarted when that breaks its channel or costs it a health check.
 */
export const STDIN_STEAL_PROBE: Probe = {
  name: "stdin_steal",
  attempt: async () => {
    void Deno.stdin.read(new Uint8Array(64)).catch(() => {});
    return "reading";
  },
  answers: /^"reading"$/,
};
