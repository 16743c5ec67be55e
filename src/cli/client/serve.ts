import { FrameReader, FrameWriter } from "../../framing/mod.ts";
import { decodeMessage, encodeMessage } from "../../launcher/codec.ts";
import { createLogger, fileSink, type JsonLogger } from "../../log/mod.ts";
import { HOST_LOG_MAX_BYTES } from "./constants.ts";
import { type HostConfig, hostPaths } from "./host_config.ts";
import { acquireHostLock, releaseHostLock } from "./host_lock.ts";
import { ensureOwnedDirectory } from "./private_dir.ts";
import { RequestRelay } from "./request_relay.ts";
import { UpstreamHost } from "./upstream_host.ts";

/**
 * The background client host (`launchbox client host serve`, started detached by `client
 * host start` or the first client command): takes the scratch path's lock, runs one plugin
 * host, and relays every connection on its Unix socket to it until SIGTERM/SIGINT or the
 * plugin host ends. Logs to `<scratch>/client-host/host.log`.
 */
export async function serveClientHost(config: HostConfig): Promise<number> {
  const paths = hostPaths(config.scratch);
  ensureOwnedDirectory(paths.dir);
  Deno.chdir(paths.dir); // every path is absolute; the starter's directory may go
  using sink = fileSink(paths.log, { maxBytes: HOST_LOG_MAX_BYTES, keep: 1 });
  const log = createLogger({ sinks: [sink] }).with({ plugin: config.plugin });
  const holder = acquireHostLock(paths.lock, {
    pid: Deno.pid,
    plugin: config.plugin,
    ...(config.pluginsDir ? { pluginsDir: config.pluginsDir } : {}),
    ...(config.configFile ? { configFile: config.configFile } : {}),
    startedAt: new Date().toISOString(),
  });
  if (holder) {
    log.info("Another background host serves this scratch path", { pid: holder.pid });
    return 0;
  }
  try {
    return await serveLocked(config, paths.socket, log);
  } catch (error) {
    log.error("The background host stopped", { error });
    return 1;
  } finally {
    removeSocket(paths.socket);
    releaseHostLock(paths.lock, Deno.pid);
  }
}

async function serveLocked(config: HostConfig, socket: string, log: JsonLogger): Promise<number> {
  await using upstream = await UpstreamHost.start(config);
  const relay = new RequestRelay(upstream, upstream.bootstrap);
  removeStaleSocket(socket);
  const listener = Deno.listen({ transport: "unix", path: socket });
  Deno.chmodSync(socket, 0o600);
  const connections = new Set<Deno.UnixConn>();
  const stop = Promise.withResolvers<"signal">();
  const onSignal = () => stop.resolve("signal");
  for (const signal of ["SIGTERM", "SIGINT"] as const) Deno.addSignalListener(signal, onSignal);
  const accepting = (async () => {
    for await (const conn of listener) {
      connections.add(conn);
      void relayConnection(relay, conn, log).finally(() => connections.delete(conn));
    }
  })().catch(() => {});
  const upstreamEnded = (async () => {
    for await (const message of upstream.messages()) relay.fromUpstream(message);
    return "plugin-host-ended" as const;
  })();
  log.info("Serving client connections", { socket, pid: Deno.pid, hostPid: upstream.pid });
  const reason = await Promise.race([stop.promise, upstreamEnded]);
  for (const signal of ["SIGTERM", "SIGINT"] as const) Deno.removeSignalListener(signal, onSignal);
  listener.close();
  for (const conn of connections) conn.close();
  await accepting;
  if (reason === "signal") {
    log.info("Stopping: the plugin host drains and stops its plugins");
    return 0;
  }
  log.error("The plugin host ended by itself", { stderr: await upstream.stderrTail() });
  return 1;
}

/** Relays one client's frames until it disconnects. */
async function relayConnection(
  relay: RequestRelay,
  conn: Deno.UnixConn,
  log: JsonLogger,
): Promise<void> {
  const writer = new FrameWriter(conn.writable);
  const connection = relay.connect({
    send: (message) => {
      try {
        writer.write(encodeMessage(message));
      } catch {
        // The client left; its routes go with relay.disconnect below.
      }
    },
  });
  try {
    for await (const payload of new FrameReader(conn.readable)) {
      relay.fromClient(connection, decodeMessage(payload));
    }
  } catch (error) {
    log.warn("Closing a client connection", { error });
  } finally {
    relay.disconnect(connection);
    await writer.close().catch(() => {});
    try {
      conn.close();
    } catch {
      // closed at shutdown already
    }
  }
}

/** Our socket at exit (ours while we hold the lock). */
function removeSocket(path: string): void {
  try {
    if (Deno.lstatSync(path).isSocket) Deno.removeSync(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

/** A socket left by a host that died; anything else at that path is refused. */
function removeStaleSocket(path: string): void {
  let info: Deno.FileInfo;
  try {
    info = Deno.lstatSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw error;
  }
  if (!info.isSocket) throw new Error(`Refusing ${path}: it exists and is not a socket`);
  Deno.removeSync(path);
}
