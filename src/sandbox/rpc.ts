/** An error as it crosses the host↔runner channel; rebuilt into its class on the host. */
export interface WireError {
  name: string;
  message: string;
  /** LauncherError code. */
  code?: number;
  /** ConfigReloadError stage. */
  stage?: string;
}

/** What the runner needs to start an instance (the first frame the host sends). */
export interface RunnerInit {
  pluginName: string;
  /** Absolute path of the plugin's entry module. */
  entryPath: string;
  /** The plugin's folder (absolute): a crash report names the first stack frame inside it. */
  pluginDir?: string;
  /** The scratch path: a refusal of a path under it names no manifest key (none grants it). */
  scratchPath?: string;
  instanceKey: string;
  instanceDir: string;
  config: Record<string, string>;
  /** The Worker's permissions: the manifest's, expanded for this instance. */
  permissions: Deno.PermissionOptionsObject;
  debug: boolean;
  /** Only import the module and check its default export (`launchbox check`): no `create`. */
  loadOnly?: boolean;
}

/** Plugin methods the host calls. */
export type PluginMethod =
  | "submitJob"
  | "controlJob"
  | "jobOutput"
  | "jobResourceUtil"
  | "jobNetwork"
  | "clusterInfo"
  | "recover"
  | "reloadConfig"
  | "syncNodes";

/** `ctx.jobs` operations the plugin asks of the host. */
export type JobsOperation = "get" | "list" | "update";

/** Host → runner. */
export type HostMessage =
  | { t: "init"; init: RunnerInit }
  | { t: "call"; id: number; method: PluginMethod; args: unknown[]; user?: string }
  | { t: "cancel"; id: number }
  /** The host took `n` more items of stream `id`: the Worker may send `n` more. */
  | { t: "more"; id: number; n: number }
  | { t: "jobsReply"; id: number; value?: unknown; error?: WireError }
  | { t: "ping"; id: number }
  | { t: "stop" };

/** Runner → host. */
export type RunnerMessage =
  | { t: "ready"; methods: PluginMethod[] }
  | { t: "fatal"; error: WireError }
  /**
   * Plugin code threw outside every call (an uncaught error, an unhandled rejection): the
   * instance is ended. `at` is the first stack frame in the plugin's files.
   */
  | { t: "crashed"; error: WireError; at?: string }
  | { t: "result"; id: number; value?: unknown }
  | { t: "error"; id: number; error: WireError }
  | { t: "item"; id: number; value: unknown }
  | { t: "end"; id: number }
  | { t: "jobs"; id: number; op: JobsOperation; args: unknown[] }
  | {
    t: "log";
    level: "debug" | "info" | "warn" | "error";
    msg: string;
    fields?: Record<string, unknown>;
    /** Bytes the runner cut from the end of `msg` (see `cutText`). */
    cut?: number;
  }
  | { t: "pong"; id: number }
  | { t: "stopped" };

/** Methods that answer with a stream of items rather than one result. */
export const STREAM_METHODS: ReadonlySet<PluginMethod> = new Set(["jobOutput", "jobResourceUtil"]);
