/** System information and the environment. */
import type { Probe } from "./_probe.ts";

export const SYSTEM_PROBES: Probe[] = [
  {
    name: "sys_hostname",
    attempt: async () => Deno.hostname(),
    refused: /query system information "hostname"$/,
  },
  {
    name: "sys_os_release",
    attempt: async () => Deno.osRelease(),
    refused: /query system information "osRelease"$/,
  },
  {
    name: "sys_loadavg",
    attempt: async () => Deno.loadavg(),
    refused: /query system information "loadavg"$/,
  },
  {
    name: "sys_network_interfaces",
    attempt: async () => Deno.networkInterfaces(),
    refused: /query system information "networkInterfaces"$/,
  },
  { name: "sys_uid", attempt: async () => Deno.uid(), refused: /query system information "uid"$/ },
  {
    name: "sys_memory_info",
    attempt: async () => Deno.systemMemoryInfo(),
    refused: /query system information "systemMemoryInfo"$/,
  },
  {
    name: "node_os_user_info",
    attempt: async () => (await import("node:os")).userInfo(),
    refused: /query system information "uid"$/,
  },
  {
    name: "env_to_object",
    attempt: async () => Deno.env.toObject(),
    refused: /read the whole environment$/,
  },
  {
    name: "env_get_ungranted",
    attempt: async () => Deno.env.get("HOME"),
    refused: /read the environment variable "HOME"$/,
  },
  {
    name: "env_set",
    attempt: async () => Deno.env.set("PATH", "/tmp"),
    refused: /read the environment variable "PATH"$/,
  },
  {
    name: "node_process_env",
    attempt: async () => (await import("node:process")).env.HOME,
    refused: /read the environment variable "HOME"$/,
  },
];
