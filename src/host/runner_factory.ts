import type { Manifest } from "../sandbox/manifest.ts";
import { prepareInstanceDir } from "../sandbox/instance_directory.ts";
import { expandPermissions } from "../sandbox/permissions.ts";
import { remoteInstance } from "../sandbox/remote_instance.ts";
import { RemotePlugin } from "../sandbox/remote_plugin.ts";
import { runnerCommand } from "../sandbox/runner_command.ts";
import type { SystemUser, UserDirectory } from "../sandbox/users.ts";
import type { InstanceFactory } from "./instance_pool.ts";

/** Options for {@linkcode runnerFactory}. */
export interface RunnerFactoryOptions {
  manifest: Manifest;
  config: Readonly<Record<string, string>>;
  /** Root of all instance directories; no plugin may read it as a whole. */
  instancesRoot: string;
  instanceDir: (instanceKey: string) => string;
  users: UserDirectory;
  debug: boolean;
  /** Start runners that only load the module (`launchbox check`), never calling `create`. */
  loadOnly?: boolean;
}

const SDK_DIR = new URL("../sdk", import.meta.url).pathname;

/**
 * Starts every instance in its own runner process (DESIGN §4): a private directory, the
 * manifest's permissions expanded for it, and — for `run_as: session-user` — the job
 * user's uid, gid and groups.
 */
export function runnerFactory(options: RunnerFactoryOptions): InstanceFactory {
  const { manifest } = options;
  return async (spec) => {
    const user = userFor(options, spec.user);
    const instanceDir = options.instanceDir(spec.instanceKey);
    await prepareInstanceDir(
      options.instancesRoot,
      instanceDir,
      manifest.runAs === "session-user" ? user : undefined,
    );
    const permissions = expandPermissions(manifest, {
      pluginDir: manifest.dir,
      instanceDir,
      userHome: manifest.isolation === "session" ? user?.home : undefined,
      scratch: options.instancesRoot,
      importDirs: Deno.build.standalone ? [] : [SDK_DIR],
    });
    const command = runnerCommand({
      ...(manifest.runAs === "session-user" && user ? { user } : {}),
      ...(manifest.limits.memoryMb ? { memoryMb: manifest.limits.memoryMb } : {}),
      instanceDir,
      passEnv: manifest.permissions.env,
    });
    const remote = await RemotePlugin.start({
      init: {
        pluginName: manifest.name,
        entryPath: manifest.entryPath,
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
    });
    spec.log.info("Runner started", { pid: remote.pid, user: user?.name ?? "host" });
    return remoteInstance(remote);
  };
}

function userFor(options: RunnerFactoryOptions, name: string): SystemUser | undefined {
  if (name === "*" || options.manifest.isolation !== "session") return undefined;
  const user = options.users.lookup(name);
  if (!user && options.manifest.runAs === "session-user") {
    throw new RangeError(
      `Cannot start plugin "${options.manifest.name}" for user "${name}": no such system user`,
    );
  }
  return user;
}
