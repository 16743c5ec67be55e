/**
 * The sandbox: plugin manifests and discovery, isolation keys and instance directories,
 * permission expansion, and runner processes that hold one plugin instance each in a
 * narrowed Worker, reached over the same length-prefixed frames as the Launcher channel.
 *
 * The runner side (`runner_main.ts`, `worker_entry.ts`) is not exported here: it is
 * started by `launchbox runner` and imports only what it needs, to start fast.
 *
 * @example
 * ```ts ignore
 * import {
 *   discoverPlugins,
 *   expandPermissions,
 *   instanceDirFor,
 *   instanceKeyFor,
 *   RemotePlugin,
 *   runnerCommand,
 *   selectPlugin,
 * } from "./mod.ts";
 * const manifest = selectPlugin(await discoverPlugins("plugins"), { kind: "launcher" });
 * const instanceKey = instanceKeyFor(manifest.isolation, { user: "alice", tenant: "staff" });
 * const instanceDir = instanceDirFor("/var/lib/launchbox/instances", instanceKey);
 * await using plugin = await RemotePlugin.start({
 *   init: {
 *     pluginName: manifest.name,
 *     entryPath: manifest.entryPath,
 *     instanceKey,
 *     instanceDir,
 *     config: {},
 *     permissions: expandPermissions(manifest, {
 *       pluginDir: manifest.dir,
 *       instanceDir,
 *       userHome: undefined,
 *       scratch: "/var/lib/launchbox/instances",
 *     }),
 *     debug: false,
 *   },
 *   command: runnerCommand({ instanceDir }),
 *   jobs,
 *   log,
 * });
 * ```
 *
 * @module
 */
export {
  PRLIMIT,
  RUNNER_MIN_MEMORY_MB,
  RUNNER_START_TIMEOUT_MS,
  RUNNER_STOP_GRACE_MS,
  SETPRIV,
} from "./constants.ts";
export { defaultPluginsDir, type Discovered, discoverPlugins, selectPlugin } from "./discovery.ts";
export { explainRefusal } from "./friendly_error.ts";
export { prepareInstanceDir } from "./instance_directory.ts";
export {
  airflowInstanceKey,
  type AirflowSubject,
  instanceDirFor,
  instanceKeyFor,
  keyNames,
  type LauncherSubject,
  SHARED_KEY,
  tenantOf,
} from "./isolation.ts";
export { decodeSegment, encodeSegment } from "./key_segment.ts";
export { type IsolationLevel, type Manifest, parseManifest } from "./manifest.ts";
export {
  checkPermissionEntry,
  PERMISSION_KINDS,
  type PermissionKind,
  PLACEHOLDERS,
} from "./permission_rules.ts";
export { expandPermissions, type Placeholders } from "./permissions.ts";
export { PluginLoadError } from "./plugin_load_error.ts";
export { type RemoteInstance, remoteInstance } from "./remote_instance.ts";
export { RemotePlugin, type RemotePluginOptions } from "./remote_plugin.ts";
export type { PluginMethod, RunnerInit, WireError } from "./rpc.ts";
export { type RunnerCommand, runnerCommand, type RunnerSpawn } from "./runner_command.ts";
export { type SystemUser, UserDirectory } from "./users.ts";
