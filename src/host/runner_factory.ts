import type { Manifest } from "../sandbox/manifest.ts";
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
    await prepareDirectory(
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

/**
 * Creates the instance directory (0700, owned by the runner's user). Its parents up to
 * the instances root become 0711, and the scratch path above gains the execute bit for
 * others, so a runner under another uid can reach its own directory and list none.
 */
async function prepareDirectory(
  root: string,
  dir: string,
  owner: SystemUser | undefined,
): Promise<void> {
  await Deno.mkdir(dir, { recursive: true, mode: 0o711 });
  for (let parent = dir; parent.startsWith(root); parent = dirname(parent)) {
    await Deno.chmod(parent, parent === dir ? 0o700 : 0o711);
  }
  if (!owner) return;
  await Deno.chown(dir, owner.uid, owner.gid);
  const scratch = dirname(root);
  const mode = (await Deno.stat(scratch)).mode ?? 0o700;
  if ((mode & 0o001) === 0) await Deno.chmod(scratch, (mode & 0o777) | 0o011);
}

function dirname(path: string): string {
  return path.slice(0, path.lastIndexOf("/")) || "/";
}
