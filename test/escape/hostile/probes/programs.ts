/** Native code, programs and signals. */
import { nodeOutcome } from "./_helpers.ts";
import type { Probe } from "./_probe.ts";

export const PROGRAM_PROBES: Probe[] = [
  {
    name: "ffi_dlopen",
    attempt: async () => Deno.dlopen("libc.so.6", {}),
    refused: /load the native library "libc\.so\.6"/,
  },
  {
    name: "run_ungranted",
    attempt: () => new Deno.Command("/bin/sh", { args: ["-c", "id"] }).output(),
    refused: /run "\/bin\/sh"/,
  },
  {
    name: "node_exec_sync",
    attempt: async () => (await import("node:child_process")).execSync("id").toString(),
    refused: /read the whole environment$/,
  },
  {
    name: "node_spawn",
    attempt: async () => nodeOutcome((await import("node:child_process")).spawn("/bin/sh")),
    refused: /read the whole environment$/,
  },
  {
    name: "kill_host",
    attempt: async () => Deno.kill(Deno.ppid, "SIGKILL"),
    refused: /signal processes or run any program$/,
  },
  {
    name: "kill_every_process",
    attempt: async () => Deno.kill(-1, "SIGKILL"),
    refused: /signal processes or run any program$/,
  },
  {
    name: "node_process_kill",
    attempt: async () => (await import("node:process")).kill(Deno.ppid, "SIGKILL"),
    refused: /signal processes or run any program$/,
  },
];
