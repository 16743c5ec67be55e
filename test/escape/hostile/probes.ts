/**
 * What a hostile plugin tries, one probe per behaviour, and what the Launcher must see.
 * A probe's `attempt` runs inside the plugin's Worker; everything else is read by the
 * test harness (`../_suite.ts`). Adding a probe is adding one entry here.
 *
 * Expectations (exactly one):
 * - `refused`: the submit fails with `Plugin "<plugin>" is not permitted to <refused>`;
 * - `answers`: the submit succeeds and what `attempt` returned, as JSON, matches;
 * - `replaced`: the submit fails because the runner was replaced, with this message;
 * - `fails`: the submit fails with this message (the instance carries on).
 *
 * In every pattern `<plugin>`, `<instance>` and `<attacker>` stand for the plugin's name,
 * the attacking user's instance key and user name.
 *
 * @module
 */
import type { Job, PluginContext } from "../../../src/sdk/mod.ts";

/** The isolation levels the suite runs at; `session-user` is `session` with `run_as: session-user`. */
export type Level = "none" | "namespace" | "session" | "session-user";

/** What a probe gets: the plugin's context and values the harness passes in the job's environment. */
export interface ProbeInput {
  ctx: PluginContext;
  /** The job the probe runs for (its own). */
  job: Job;
  /** `VICTIM_JOB`, `VICTIM_USER`, `VICTIM_DIR`, `SCRATCH`, `SECRET_JSON` (see `../_suite.ts`). */
  env: Record<string, string>;
}

/** One hostile behaviour. */
export interface Probe {
  name: string;
  attempt(input: ProbeInput): Promise<unknown>;
  refused?: RegExp;
  answers?: RegExp;
  replaced?: RegExp;
  fails?: RegExp;
  /** A log line of the host about this plugin must match (a refused message, say). */
  logs?: RegExp;
  /**
   * The probe starts a process and answers its pid (or writes it to `pidFile` in its
   * instance directory): whether that process is gone or survives once the host stopped.
   */
  afterStop?: "gone" | "survives";
  pidFile?: string;
  /** What the probe answered is a path no other user may reach (a closed directory above it). */
  unreachable?: boolean;
  /** Levels where the probe means nothing, with the reason. */
  skip?: Partial<Record<Level, string>>;
}

const SHARED = "the shared instance serves every user's jobs by design";
const enc = new TextEncoder();
/** The Worker's own `postMessage`: the channel to the runner the plugin shares with its bootstrap. */
const post = (message: unknown) =>
  (globalThis as unknown as { postMessage(message: unknown): void }).postMessage(message);

/** The message a Worker started from `source` posts back, or its error. */
function workerReply(source: string, options: Record<string, unknown>): Promise<unknown> {
  const url = `data:text/javascript,${encodeURIComponent(source)}`;
  const worker = new Worker(url, { type: "module", ...options });
  return new Promise((resolve, reject) => {
    worker.onmessage = (event) => {
      worker.terminate();
      resolve(event.data);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      worker.terminate();
      reject(new Error(event.message));
    };
  });
}

/** The `error` (or `exit`) a node child process or worker reports. */
function nodeOutcome(emitter: {
  on(event: string, listener: (value: unknown) => void): unknown;
}): Promise<unknown> {
  return new Promise((resolve, reject) => {
    emitter.on("error", (error) => reject(error));
    emitter.on("exit", (code) => resolve({ exit: code }));
    emitter.on("message", (message) => resolve(message));
  });
}

/** A specifier the type checker and lockfile do not see (they would fetch it themselves). */
function dynamic(specifier: string): string {
  return [specifier][0]!;
}

async function readAll(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) names.push(entry.name);
  return names;
}

/** Starts `sleep 300` through the run grant, in the runner's process group or its own. */
function spawnSleep(detached: boolean): number {
  const stdio = { stdin: "null", stdout: "null", stderr: "null" } as const;
  const child = new Deno.Command("/bin/sleep", { args: ["300"], detached, ...stdio }).spawn();
  child.unref();
  return child.pid;
}

/** A frame as the runner writes them: 4-byte big-endian length, then JSON. */
function frame(message: unknown): Uint8Array {
  const body = enc.encode(JSON.stringify(message));
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer).setUint32(0, body.length);
  out.set(body, 4);
  return out;
}

export const PROBES: Probe[] = [
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
      Deno.writeTextFile(`${new URL(".", import.meta.url).pathname}mod.ts`, "export default 1"),
    refused: /write ".*\/mod\.ts"$/,
  },
  {
    name: "hard_link_plugin_code",
    attempt: ({ ctx }) =>
      Deno.link(new URL("./mod.ts", import.meta.url).pathname, `${ctx.instanceDir}/mod.ts`),
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
  // imports outside the grants: local files, remote modules, and code from data: and blob: URLs
  {
    name: "import_etc_shadow",
    attempt: () => import("file:///etc/shadow"),
    refused: /read "\/etc\/shadow"/,
  },
  {
    name: "import_computed",
    attempt: () => import(dynamic("file:///etc/shadow")),
    refused: /read "\/etc\/shadow"/,
  },
  {
    name: "import_json_outside",
    attempt: ({ env }) => import(`file://${env.SECRET_JSON}`, { with: { type: "json" } }),
    refused: /read ".*\/secret\.json"/,
  },
  {
    name: "import_remote",
    attempt: () => import(dynamic("https://jsr.io/@std/fmt/1.0.0/colors.ts")),
    refused: /import "(jsr\.io:443|https:\/\/jsr\.io\/[^"]+)"$/,
  },
  {
    name: "import_npm",
    attempt: () => import(dynamic("npm:left-pad@1.3.0")),
    refused: /import npm packages$/,
  },
  {
    name: "import_data_url",
    attempt: () =>
      import("data:text/javascript,export default await Deno.readTextFile('/etc/shadow')"),
    refused: /read "\/etc\/shadow"/,
  },
  {
    name: "import_blob_url",
    attempt: () => {
      const code = "export default await Deno.readTextFile('/etc/shadow')";
      const blob = new Blob([code], { type: "text/javascript" });
      return import(URL.createObjectURL(blob));
    },
    refused: /read "\/etc\/shadow"/,
  },
  // links: a hard link to a file outside, a symbolic link anywhere
  {
    name: "hard_link_outside",
    attempt: ({ ctx }) => Deno.link("/etc/shadow", `${ctx.instanceDir}/shadow`),
    refused: /read "\/etc\/shadow"/,
  },
  {
    name: "symlink_outside",
    attempt: ({ ctx }) => Deno.symlink("/etc/shadow", `${ctx.instanceDir}/shadow-link`),
    refused: /create a symbolic link$/,
  },
  {
    name: "node_fs_symlink",
    attempt: async ({ ctx }) =>
      (await import("node:fs")).symlinkSync("/etc", `${ctx.instanceDir}/etc-link`),
    refused: /create a symbolic link$/,
  },
  // modes and owners outside the instance
  {
    name: "chmod_outside",
    attempt: () => Deno.chmod("/etc/passwd", 0o666),
    refused: /write "\/etc\/passwd"/,
  },
  {
    name: "chown_outside",
    attempt: () => Deno.chown("/etc/passwd", 0, 0),
    refused: /write "\/etc\/passwd"/,
  },
  {
    // A setuid program of the runner's uid (root at run_as: host), offered to every user
    // by opening the instance directory: a closed parent keeps it out of their reach.
    name: "setuid_offered",
    attempt: async ({ ctx }) => {
      const path = `${ctx.instanceDir}/setuid-shell`;
      await Deno.writeTextFile(path, "#!/bin/sh\nexec /bin/sh\n");
      await Deno.chmod(path, 0o6755);
      await Deno.chmod(ctx.instanceDir, 0o777);
      return path;
    },
    answers: /setuid-shell"$/,
    unreachable: true,
    skip: {
      "session-user":
        "the runner holds the attacking user's own uid: what it offers is that user's, as their own programs could",
    },
  },
  // system information and the environment
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
  // native code, programs and signals
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
  // the network
  {
    name: "listen_tcp",
    attempt: async () => Deno.listen({ port: 0 }),
    refused: /connect to "0\.0\.0\.0:0"$/,
  },
  {
    name: "listen_unix",
    attempt: async ({ ctx }) => Deno.listen({ transport: "unix", path: `${ctx.instanceDir}/sock` }),
    refused: /connect to "unix:\/.*\/sock"$/,
  },
  {
    name: "connect_tcp",
    attempt: () => Deno.connect({ hostname: "127.0.0.1", port: 9 }),
    refused: /connect to "127\.0\.0\.1:9"$/,
  },
  {
    name: "connect_unix",
    attempt: () => Deno.connect({ transport: "unix", path: "/run/systemd/private" }),
    refused: /(connect to "unix:\/run\/systemd\/private"|read "\/run\/systemd\/private")$/,
  },
  {
    name: "websocket_loopback",
    attempt: () =>
      new Promise((resolve, reject) => {
        const socket = new WebSocket("ws://127.0.0.1:80/");
        socket.onopen = () => resolve("open");
        socket.onerror = (event) => reject((event as ErrorEvent).error ?? new Error("error"));
      }),
    refused: /connect to "127\.0\.0\.1:80"$/,
  },
  {
    name: "resolve_dns",
    attempt: () => Deno.resolveDns("example.com", "A"),
    refused: /connect to "[^"]+"$/,
  },
  {
    name: "fetch_loopback",
    attempt: () => fetch("http://127.0.0.1:80/"),
    refused: /connect to "127\.0\.0\.1:80"/,
  },
  // Workers asking for more than the plugin has
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
  // permissions and the runner's life
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
  // the host's job store through ctx.jobs
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
  // forged messages to the runner and the host
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
  // the runner's stdio: garbage and forged frames on stdout, stolen bytes on stdin
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

  // processes the plugin starts through its run grant
  {
    name: "child_in_runner_group",
    attempt: async () => spawnSleep(false),
    answers: /^\d+$/,
    afterStop: "gone",
  },
  {
    name: "child_of_crashed_runner",
    attempt: async ({ ctx }) => {
      await Deno.writeTextFile(`${ctx.instanceDir}/child.pid`, String(spawnSleep(false)));
      // The bootstrap reports an uncaught error as a crash and keeps it from ending the
      // Worker with preventDefault; disarmed, the error reaches the runner too. Either way
      // the runner exits by itself (no kill from the host), naming the error.
      Event.prototype.preventDefault = () => {};
      setTimeout(() => {
        throw new Error("crashing on purpose");
      });
      return await new Promise(() => {});
    },
    replaced:
      /^Plugin "<plugin>" instance "<instance>" crashed before answering: .*crashing on purpose/,
    afterStop: "gone",
    pidFile: "child.pid",
  },

  {
    name: "child_detached",
    attempt: async () => spawnSleep(true),
    answers: /^\d+$/,
    afterStop: "survives",
  },
  // prototypes: a polluted realm stays the plugin's own
  {
    name: "prototype_pollution",
    attempt: async () => {
      Object.assign(Object.prototype, { polluted: "yes", isAdmin: true });
      return JSON.parse('{"__proto__": {"user": "*"}, "constructor": {"prototype": {"x": 1}}}');
    },
    answers: /^\{"__proto__":\{"user":"\*"\},"constructor":\{"prototype":\{"x":1\}\}\}$/,
  },
  // last: a read left pending takes bytes of whichever frame comes next to this runner, and
  // the instance is restarted when that breaks its channel or costs it a health check
  {
    name: "stdin_steal",
    attempt: async () => {
      void Deno.stdin.read(new Uint8Array(64)).catch(() => {});
      return "reading";
    },
    answers: /^"reading"$/,
  },
];
