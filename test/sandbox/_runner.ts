import { prepareInstanceDir } from "../../src/sandbox/instance_directory.ts";
import { instanceDirFor } from "../../src/sandbox/isolation.ts";
import { type Manifest, parseManifest } from "../../src/sandbox/manifest.ts";
import { expandPermissions } from "../../src/sandbox/permissions.ts";
import { RemotePlugin } from "../../src/sandbox/remote_plugin.ts";
import { prepareRunnerCache } from "../../src/sandbox/runner_cache.ts";
import { runnerCommand } from "../../src/sandbox/runner_command.ts";
import type { SystemUser } from "../../src/sandbox/users.ts";
import type { Job, JobsHandle, JobUpdate, LogFields, Logger } from "../../src/sdk/mod.ts";

const FIXTURES = new URL("../fixtures/plugins", import.meta.url).pathname;
const SDK_DIR = new URL("../../src/sdk", import.meta.url).pathname;

/** One log line a runner sent, with the fields of every `with` on the way. */
export interface LogLine {
  level: string;
  msg: string;
  fields: LogFields;
}

/** A logger that keeps its lines. */
export function capturingLogger(lines: LogLine[], base: LogFields = {}): Logger {
  const at = (level: string) => (msg: string, fields?: LogFields) =>
    void lines.push({ level, msg, fields: { ...base, ...fields } });
  return {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    with: (fields) => capturingLogger(lines, { ...base, ...fields }),
  };
}

/** A job store of plain objects that records every update a plugin makes. */
export function memoryJobs(jobs: Job[]): JobsHandle & { updates: [string, JobUpdate][] } {
  const byId = new Map(jobs.map((job) => [job.id, { ...job }]));
  const updates: [string, JobUpdate][] = [];
  return {
    updates,
    get: async (id) => byId.get(id),
    list: async () => [...byId.values()],
    update: async (id, change) => {
      updates.push([id, change]);
      const job = byId.get(id);
      if (job) Object.assign(job, change);
      return job;
    },
  };
}

/** A fixture plugin running in its own runner process, and what it sent back. */
export interface FixtureRunner extends AsyncDisposable {
  remote: RemotePlugin;
  manifest: Manifest;
  instanceDir: string;
  logs: LogLine[];
}

/** Options for {@linkcode startFixture}. */
export interface FixtureOptions {
  /** Root of all instance directories; a fresh temporary one when left out. */
  instancesRoot?: string;
  instanceKey?: string;
  user?: SystemUser;
  jobs?: JobsHandle;
  stopGraceMs?: number;
  /** Where the fixture's folder is (default `test/fixtures/plugins`). */
  fixturesDir?: string;
}

/** Reads a fixture's manifest. */
export async function fixtureManifest(name: string, dir = FIXTURES): Promise<Manifest> {
  const file = `${dir}/${name}/plugin.yaml`;
  return await parseManifest(await Deno.readTextFile(file), file);
}

/**
 * Starts `test/fixtures/plugins/<name>` the way the host does: its own runner process,
 * a private instance directory, the manifest's permissions expanded for it.
 */
export async function startFixture(
  name: string,
  options: FixtureOptions = {},
): Promise<FixtureRunner> {
  const manifest = await fixtureManifest(name, options.fixturesDir);
  const ownRoot = options.instancesRoot === undefined;
  const root = options.instancesRoot ?? `${await Deno.makeTempDir()}/instances`;
  const instanceKey = options.instanceKey ?? "shared";
  const instanceDir = instanceDirFor(root, instanceKey);
  await prepareInstanceDir(root, instanceDir, options.user);
  const denoDir = `${root.slice(0, root.lastIndexOf("/"))}/runner-cache`;
  if (options.user) await prepareRunnerCache(denoDir, [manifest.entryPath]);
  const logs: LogLine[] = [];
  const remote = await RemotePlugin.start({
    init: {
      pluginName: manifest.name,
      entryPath: manifest.entryPath,
      pluginDir: manifest.dir,
      scratchPath: await Deno.realPath(root.slice(0, root.lastIndexOf("/")) || "/"),
      instanceKey,
      instanceDir,
      config: { greeting: "hello" },
      permissions: expandPermissions(manifest, {
        pluginDir: manifest.dir,
        instanceDir,
        userHome: options.user?.home,
        scratch: root,
        importDirs: [SDK_DIR],
      }),
      debug: true,
    },
    command: runnerCommand({
      instanceDir,
      ...(options.user ? { denoDir } : {}),
      ...(options.user ? { user: options.user } : {}),
      ...(manifest.limits.memoryMb ? { memoryMb: manifest.limits.memoryMb } : {}),
    }),
    jobs: options.jobs ?? memoryJobs([]),
    log: capturingLogger(logs),
    ...(options.stopGraceMs === undefined ? {} : { stopGraceMs: options.stopGraceMs }),
  });
  return {
    remote,
    manifest,
    instanceDir,
    logs,
    async [Symbol.asyncDispose]() {
      await remote[Symbol.asyncDispose]();
      if (ownRoot) await Deno.remove(root.slice(0, -"/instances".length), { recursive: true });
    },
  };
}

/** A job as the host would hand it to a plugin. */
export function job(id: string, name: string): Job {
  return { id, name, user: "alice", status: "Pending", command: "true" };
}

/** Whether a process (or process group, for a negative pid) still exists. */
export function processExists(pid: number): boolean {
  try {
    Deno.kill(pid, "SIGCONT");
    return true;
  } catch {
    return false;
  }
}
