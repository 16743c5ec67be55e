/** Files outside the grants: /proc, reads through every API, writes outside the instance. */
import { readAll } from "./_helpers.ts";
import { type Probe, SHARED } from "./_probe.ts";

export const FILE_PROBES: Probe[] = [
  // /proc: other processes' environment, root and file descriptors, and our own memory
  {
    name: "proc_self_environ",
    attempt: () => Deno.readFile("/proc/self/environ"),
    refused: /read "\/proc\/self\/environ"/,
  },
  {
    name: "proc_self_environ_open",
    attempt: () => Deno.open("/proc/self/environ"),
    refused: /read "\/proc\/self\/environ"/,
  },
  {
    name: "proc_1_root",
    attempt: () => readAll("/proc/1/root"),
    refused: /read "\/proc\/1\/root"/,
  },
  {
    name: "proc_host_fds",
    attempt: () => readAll(`/proc/${Deno.ppid}/fd`),
    refused: /read "\/proc\/\d+\/fd"/,
  },
  {
    name: "proc_self_mem",
    attempt: () => Deno.open("/proc/self/mem", { read: true, write: true }),
    refused: /(read|write) "\/proc\/self\/mem"/,
  },
  // files outside the grants, through every API that reads
  {
    name: "read_outside",
    attempt: () => Deno.readTextFile("/etc/shadow"),
    refused: /read "\/etc\/shadow"$/,
  },
  {
    name: "write_outside",
    attempt: () => Deno.writeTextFile("/tmp/launchbox-escape-1.txt", "x"),
    refused: /write "\/tmp\/launchbox-escape-1\.txt"$/,
  },
  {
    name: "node_fs_read",
    attempt: async () => (await import("node:fs")).readFileSync("/etc/shadow"),
    refused: /read "\/etc\/shadow"/,
  },
  {
    name: "node_fs_promises_read",
    attempt: async () => await (await import("node:fs/promises")).readFile("/etc/shadow"),
    refused: /read "\/etc\/shadow"/,
  },
  {
    name: "fetch_file_url",
    attempt: async () => await (await fetch("file:///etc/shadow")).text(),
    refused: /read "\/etc\/shadow"/,
  },
  {
    name: "job_store_read",
    attempt: ({ env }) => Deno.readFile(`${env.SCRATCH}/jobs.sqlite`),
    refused: /read ".*\/jobs\.sqlite"/,
  },
  {
    name: "job_store_sqlite",
    attempt: async ({ env }) =>
      new (await import("node:sqlite")).DatabaseSync(`${env.SCRATCH}/jobs.sqlite`).prepare(
        "SELECT * FROM jobs",
      ).all(),
    refused: /(read|write) ".*\/jobs\.sqlite"/,
  },
  {
    name: "other_instance_read",
    attempt: ({ env }) => readAll(env.VICTIM_DIR!),
    refused: /read ".*\/instances\/ns\/[^"]+"/,
    skip: { none: SHARED },
  },
  { name: "chdir_root", attempt: async () => Deno.chdir("/"), refused: /read "\/"/ },
  {
    name: "stat_outside",
    attempt: () => Deno.stat("/etc/shadow"),
    refused: /read "\/etc\/shadow"$/,
  },
  { name: "real_path_outside", attempt: () => Deno.realPath("/etc"), refused: /read "\/etc"$/ },
  {
    name: "watch_outside",
    attempt: async () => Deno.watchFs("/etc").close(),
    refused: /read "\/etc"$/,
  },
  // writes outside the instance: the plugin's own code (which every instance loads), /tmp,
  // a path climbing out of the instance directory
  {
    name: "write_plugin_code",
    attempt: () =>
      Deno.writeTextFile(new URL("../mod.ts", import.meta.url).pathname, "export default 1"),
    refused: /write ".*\/mod\.ts"$/,
  },
  {
    name: "hard_link_plugin_code",
    attempt: ({ ctx }) =>
      Deno.link(new URL("../mod.ts", import.meta.url).pathname, `${ctx.instanceDir}/mod.ts`),
    refused: /write ".*\/mod\.ts"$/,
  },
  {
    name: "write_dot_dot",
    attempt: ({ ctx }) => Deno.writeTextFile(`${ctx.instanceDir}/../escaped.txt`, "x"),
    refused: /write "[^"]*\/escaped\.txt"$/,
  },
  { name: "make_temp_file", attempt: () => Deno.makeTempFile(), refused: /write "[^"]+"$/ },
  {
    name: "utime_outside",
    attempt: () => Deno.utime("/etc/passwd", 0, 0),
    refused: /write "\/etc\/passwd"$/,
  },
];
