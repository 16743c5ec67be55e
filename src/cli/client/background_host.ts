import { LauncherClient } from "../../launcher/launcher_client.ts";
import { writeStderr } from "../exit.ts";
import { selfCommand } from "../self_command.ts";
import { UsageError } from "../usage_error.ts";
import { HOST_POLL_MS, HOST_START_TIMEOUT_MS, HOST_STOP_TIMEOUT_MS } from "./constants.ts";
import { type HostConfig, hostPaths } from "./host_config.ts";
import { type HostRecord, isAlive, readHostLock } from "./host_lock.ts";
import { type ClientHost, clientHostOver } from "./plugin_host.ts";
import { ensureOwnedDirectory } from "./private_dir.ts";

/** A running background host: its lock record. */
export type RunningHost = HostRecord;

/** The host {@linkcode startBackgroundHost} waited for; another process may have started it. */
export interface StartedHost extends RunningHost {
  readonly startedHere: boolean;
}

/**
 * The background host of `config.scratch` as a {@linkcode ClientHost} for `user`, started
 * first (detached, announced on stderr once) when none runs. `stopHint` is the command that
 * stops it, for that announcement.
 */
export async function useBackgroundHost(
  config: HostConfig,
  user: string,
  stopHint: string,
): Promise<ClientHost> {
  const running = await connectBackgroundHost(config, user);
  if (running) return running;
  const { pid, startedHere } = await startBackgroundHost(config);
  if (startedHere) {
    writeStderr(
      `launchbox: started a background host (pid ${pid}); stop it with \`${stopHint}\`\n`,
    );
  }
  const host = await connectBackgroundHost(config, user);
  if (!host) throw new Error(`The background host (pid ${pid}) stopped right after it started`);
  return host;
}

/** The live background host of this scratch path, if any; refuses one serving other options. */
export function runningHost(config: HostConfig): RunningHost | undefined {
  const record = readHostLock(hostPaths(config.scratch).lock);
  if (!record) return undefined;
  const checks: [string, string | undefined, string | undefined][] = [
    ["--plugin-name", record.plugin, config.plugin],
    ["--plugins-dir", record.pluginsDir, config.pluginsDir],
    ["--config-file", record.configFile, config.configFile],
  ];
  const differs = checks.find(([, running, wanted]) =>
    wanted !== undefined && (running ?? "") !== wanted
  );
  if (differs) {
    throw new UsageError(
      `The background host on ${config.scratch} (pid ${record.pid}) runs with ${differs[0]} ` +
        `${JSON.stringify(differs[1] ?? "(default)")}, not ${JSON.stringify(differs[2])}; ` +
        `stop it first (launchbox client host stop) or pass another --scratch-path`,
    );
  }
  return record;
}

/** Connects to the running background host and bootstraps; `undefined` when none listens. */
export async function connectBackgroundHost(
  config: HostConfig,
  user: string,
): Promise<ClientHost | undefined> {
  if (!runningHost(config)) return undefined;
  let conn: Deno.UnixConn;
  try {
    conn = await Deno.connect({ transport: "unix", path: hostPaths(config.scratch).socket });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.ConnectionRefused) {
      return undefined; // starting, or stopping
    }
    throw error;
  }
  const client = new LauncherClient(conn.readable, conn.writable);
  const host = clientHostOver(client, user, async () => {
    await client[Symbol.asyncDispose]();
    try {
      conn.close();
    } catch {
      // closed with its streams
    }
  });
  const boot = await client.bootstrap().catch((error) => ({ errorMessage: String(error) }));
  if ((boot as { messageType?: number }).messageType !== 1) {
    await host[Symbol.asyncDispose]();
    throw new Error(`Cannot bootstrap with the background host: ${boot.errorMessage}`);
  }
  return host;
}

/**
 * Starts the background host of `config` detached (its own session, stdio closed; it logs
 * to `<scratch>/client-host/host.log`) and waits until it listens. When another process
 * started one meanwhile, that one is returned.
 */
export async function startBackgroundHost(config: HostConfig): Promise<StartedHost> {
  const paths = hostPaths(config.scratch);
  ensureOwnedDirectory(paths.dir);
  const { command, args } = selfCommand(["client", "host", "serve", ...serveArgs(config)]);
  const child = new Deno.Command(command, {
    args,
    stdin: "null",
    stdout: "null",
    stderr: "null",
    detached: true,
  }).spawn();
  child.unref();
  let exit: Deno.CommandStatus | undefined;
  void child.status.then((status) => exit = status);
  const deadline = AbortSignal.timeout(HOST_START_TIMEOUT_MS);
  while (!deadline.aborted) {
    const record = runningHost(config);
    if (record && await listens(paths.socket)) {
      return { ...record, startedHere: record.pid === child.pid };
    }
    if (exit && !record) {
      throw new Error(
        `The background host exited with code ${exit.code} before it listened; see ${paths.log}` +
          logTail(paths.log),
      );
    }
    await pause(HOST_POLL_MS);
  }
  const holder = runningHost(config);
  const lock = holder
    ? ` (its lock ${paths.lock} names pid ${holder.pid}; remove it if that is no Launchbox)`
    : "";
  throw new Error(
    `The background host did not listen on ${paths.socket} within ${HOST_START_TIMEOUT_MS} ms${lock}; see ${paths.log}`,
  );
}

/** Stops the running background host (SIGTERM, then waits for its lock to go). */
export async function stopBackgroundHost(config: HostConfig): Promise<RunningHost | undefined> {
  const record = runningHost(config);
  if (!record) return undefined;
  Deno.kill(record.pid, "SIGTERM");
  const deadline = AbortSignal.timeout(HOST_STOP_TIMEOUT_MS);
  while (!deadline.aborted) {
    if (runningHost(config)?.pid !== record.pid) return record;
    await pause(HOST_POLL_MS);
  }
  const state = isAlive(record.pid) ? "still runs" : "is gone but left its lock";
  throw new Error(
    `The background host (pid ${record.pid}) ${state} after ${HOST_STOP_TIMEOUT_MS} ms`,
  );
}

/** The arguments of `client host serve` for `config`. */
export function serveArgs(config: HostConfig): string[] {
  return [
    `--plugin-name=${config.plugin}`,
    `--scratch-path=${config.scratch}`,
    ...(config.pluginsDir ? [`--plugins-dir=${config.pluginsDir}`] : []),
    ...(config.configFile ? [`--config-file=${config.configFile}`] : []),
  ];
}

async function listens(socket: string): Promise<boolean> {
  try {
    (await Deno.connect({ transport: "unix", path: socket })).close();
    return true;
  } catch {
    return false;
  }
}

function logTail(path: string): string {
  try {
    const lines = Deno.readTextFileSync(path).trim().split("\n").slice(-3);
    return lines.length > 0 && lines[0] ? `:\n${lines.join("\n")}` : "";
  } catch {
    return "";
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
