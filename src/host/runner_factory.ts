import type { Manifest } from "../sandbox/manifest.ts";
import { accountNameProblem } from "../sandbox/account_name.ts";
import { closeHostScratch, prepareInstanceDir } from "../sandbox/instance_directory.ts";
import { canonicalPath } from "../sandbox/canonical_path.ts";
import { checkAbsolute } from "../sandbox/permission_rules.ts";
import { expandPermissions } from "../sandbox/permissions.ts";
import { remoteInstance } from "../sandbox/remote_instance.ts";
import { RemotePlugin } from "../sandbox/remote_plugin.ts";
import { prepareRunnerCache } from "../sandbox/runner_cache.ts";
import type { NeededPath } from "../sandbox/reachability.ts";
import { ReachabilityCache } from "../sandbox/reachability_cache.ts";
import { runnerCommand, runnerNeeds, runnerPaths } from "../sandbox/runner_command.ts";
import { RunnerPool } from "../sandbox/runner_pool.ts";
import { assertNotWritable } from "../sandbox/runner_integrity.ts";
import { isHostUser } from "../sandbox/host_user.ts";
import { checkedUserHome, usesUserHome } from "../sandbox/user_home.ts";
import type { SystemUser, UserDirectory } from "../sandbox/users.ts";
import type { InstanceFactory } from "./instance_pool.ts";
import type { Metrics } from "./metrics.ts";
import type { JsonLogger } from "../log/mod.ts";
import type { PluginLogCounters } from "../sandbox/plugin_log.ts";

/** Options for {@linkcode runnerFactory}. */
export interface RunnerFactoryOptions {
  manifest: Manifest;
  config: Readonly<Record<string, string>>;
  /** Root of all instance directories; no plugin may read it as a whole. */
  instancesRoot: string;
  instanceDir: (instanceKey: string) => string;
  users: UserDirectory;
  debug: boolean;
  /** Where dropped plugin log lines and cut bytes are counted (`/metrics`). */
  metrics?: Metrics;
  /**
   * The Deno cache of runners started as other users under `deno run` (default
   * `runner-cache` beside `instancesRoot`): filled and sealed by the host, outside every
   * instance directory.
   */
  runnerCacheDir?: string;
  /** Start runners that only load the module (`launchbox check`), never calling `create`. */
  loadOnly?: boolean;
  /**
   * Runners with the host's uid kept started ahead of need (see `RunnerPool`), refilled
   * through `limit`, the host's limiter of runner starts. Absent or size 0: none.
   */
  pool?: {
    size: number;
    limit: <T>(task: () => Promise<T>) => Promise<T>;
    /** Told when a runner for the pool could not be started. */
    onError?: (error: unknown) => void;
  };
}

/** Starts runner instances; `warm()` fills the pool of idle runners, disposing ends them. */
export type RunnerInstanceFactory = InstanceFactory & AsyncDisposable & { warm(): void };

const SDK_DIR = new URL("../sdk", import.meta.url).pathname;

/**
 * Starts every instance in its own runner process (docs/architecture.md): a private directory, the
 * manifest's permissions expanded for it, and — for `run_as: session-user` — the job
 * user's uid, gid and groups.
 */
export function runnerFactory(options: RunnerFactoryOptions): RunnerInstanceFactory {
  const { manifest } = options;
  const logCounters = options.metrics ? logCountersFor(options.metrics, manifest.name) : undefined;
  const runnerCode = runnerCodeGuard(options);
  const reachability = new ReachabilityCache();
  const pool = runnerPoolFor(options);
  const start: InstanceFactory = async (spec) => {
    const user = userFor(options, spec.user);
    const userHome = grantableHome(homeFor(manifest, user), user, spec.log);
    const asUser = manifest.runAs === "session-user" && !isHostUser(user) ? user : undefined;
    const denoDir = asUser ? await runnerCode(asUser) : undefined;
    await prepareInstanceDir(options.instancesRoot, options.instanceDir(spec.instanceKey), asUser, {
      othersCross: manifest.runAs === "session-user",
    });
    if (manifest.runAs !== "session-user") closeHostScratch(options.instancesRoot);
    // After the instance directory is made: that opens the scratch path to the user (o+x).
    if (asUser) {
      reachability.assertReachable(pluginNeeds(manifest, denoDir), asUser, {
        plugin: manifest.name,
        names: options.users,
      });
    }
    // The plugin sees the path it is granted: Deno compares permission paths as strings.
    const instanceDir = canonicalPath(options.instanceDir(spec.instanceKey));
    // The whole scratch path (job store included), not only the instances under it.
    const scratch = parentOf(options.instancesRoot);
    const permissions = expandPermissions(manifest, {
      pluginDir: manifest.dir,
      instanceDir,
      userHome,
      scratch,
      importDirs: Deno.build.standalone ? [] : [SDK_DIR],
    });
    const command = runnerCommand({
      ...(asUser ? { user: asUser } : {}),
      ...(denoDir ? { denoDir } : {}),
      ...(manifest.limits.memoryMb ? { memoryMb: manifest.limits.memoryMb } : {}),
      instanceDir,
      passEnv: manifest.permissions.env,
    });
    // Only a runner with this very command (so never one for a job user's uid).
    const child = asUser ? undefined : pool?.take(command);
    const remote = await RemotePlugin.start({
      ...(child ? { child } : {}),
      init: {
        pluginName: manifest.name,
        entryPath: manifest.entryPath,
        pluginDir: manifest.dir,
        scratchPath: canonicalPath(scratch),
        instanceKey: spec.instanceKey,
        instanceDir,
        config: { ...options.config },
        permissions,
        debug: options.debug,
        ...(options.loadOnly ? { loadOnly: true } : {}),
      },
      command,
      jobs: spec.jobs,
      log: spec.log,
      ...(logCounters ? { logCounters } : {}),
    });
    spec.log.info("Runner started", {
      pid: remote.pid,
      user: user?.name ?? "host",
      ...(child ? { pooled: true } : {}),
    });
    return remoteInstance(remote);
  };
  return Object.assign(start, {
    warm: () => pool?.fill(),
    [Symbol.asyncDispose]: async () => await pool?.[Symbol.asyncDispose](),
  });
}

/**
 * The pool of idle runners with the host's uid: their command is the one a host-uid
 * instance of this plugin gets (no job user, the manifest's memory limit and env).
 */
function runnerPoolFor(options: RunnerFactoryOptions): RunnerPool | undefined {
  const { manifest, pool } = options;
  // A session-user plugin's runners take their job user's uid: pooled ones would idle.
  if (!pool || pool.size <= 0 || options.loadOnly || manifest.runAs === "session-user") {
    return undefined;
  }
  const scratch = parentOf(options.instancesRoot);
  const command = runnerCommand({
    ...(manifest.limits.memoryMb ? { memoryMb: manifest.limits.memoryMb } : {}),
    instanceDir: scratch,
    passEnv: manifest.permissions.env,
  });
  return new RunnerPool({
    command,
    cwd: scratch,
    size: pool.size,
    limit: pool.limit,
    ...(pool.onError ? { onError: pool.onError } : {}),
  });
}

/** The job user's checked, canonical home when the manifest grants `${user_home}`. */
function homeFor(manifest: Manifest, user: SystemUser | undefined): string | undefined {
  if (manifest.isolation !== "session" || !user) return undefined;
  const { read, write, run } = manifest.permissions;
  if (!usesUserHome([...read, ...write, ...run])) return undefined;
  return checkedUserHome(manifest.name, user);
}

/**
 * A home that is one of the host's secrets (root's `/root`, for jobs of root) is not
 * granted: `${user_home}` then grants nothing, as for a plugin without session isolation,
 * and the plugin runs with less rather than not at all.
 */
function grantableHome(
  home: string | undefined,
  user: SystemUser | undefined,
  log: JsonLogger,
): string | undefined {
  const secret = home === undefined ? undefined : checkAbsolute("read", home);
  if (!secret) return home;
  log.warn("Not granting ${user_home}: the home is off limits to plugins", {
    user: user?.name,
    home,
    reason: secret,
  });
  return undefined;
}

/**
 * Before a runner starts as another user: fills and seals the runners' Deno cache (once;
 * again after a failure) and refuses when that user could write anything the runner
 * loads: runtime, wrappers, source tree, cache, plugin folder. Resolves with the cache
 * directory.
 */
function runnerCodeGuard(
  options: RunnerFactoryOptions,
): (user: SystemUser) => Promise<string> {
  const { manifest } = options;
  // One cache per plugin: hosts of two plugins on one scratch path never share one.
  const denoDir = options.runnerCacheDir ??
    `${parentOf(options.instancesRoot)}/runner-cache/${manifest.name}`;
  let prepared: Promise<void> | undefined;
  return async (user) => {
    prepared ??= prepareRunnerCache(denoDir, [manifest.entryPath]).catch((error) => {
      prepared = undefined;
      throw error;
    });
    await prepared;
    assertNotWritable([...runnerPaths(denoDir), manifest.dir], user, manifest.name);
    return denoDir;
  };
}

/** Everything a runner as another user must reach: runtime, sources, cache, the plugin. */
export function pluginNeeds(manifest: Manifest, denoDir?: string): NeededPath[] {
  return [
    ...runnerNeeds(denoDir),
    { path: manifest.dir, access: "read", tree: true },
    { path: manifest.entryPath, access: "read" },
  ];
}

/** `launchbox_plugin_log_dropped_lines_total` and `launchbox_plugin_log_cut_bytes_total`. */
function logCountersFor(metrics: Metrics, plugin: string): PluginLogCounters {
  const labels = { plugin };
  return {
    dropped: (lines) =>
      metrics.inc(
        "launchbox_plugin_log_dropped_lines_total",
        "Plugin log lines dropped by the per-instance rate limit",
        labels,
        lines,
      ),
    cut: (bytes) =>
      metrics.inc(
        "launchbox_plugin_log_cut_bytes_total",
        "Bytes cut from plugin log lines longer than the line limit",
        labels,
        bytes,
      ),
  };
}

function userFor(options: RunnerFactoryOptions, name: string): SystemUser | undefined {
  if (name === "*" || options.manifest.isolation !== "session") return undefined;
  const problem = accountNameProblem(name);
  if (problem && options.manifest.runAs === "session-user") {
    throw new RangeError(
      `Cannot start plugin "${options.manifest.name}" for user "${name}": the name ${problem}`,
    );
  }
  const user = options.users.lookup(name);
  if (!user && options.manifest.runAs === "session-user") {
    throw new RangeError(
      `Cannot start plugin "${options.manifest.name}" for user "${name}": no such system user`,
    );
  }
  return user;
}

function parentOf(path: string): string {
  return path.slice(0, path.lastIndexOf("/")) || "/";
}
