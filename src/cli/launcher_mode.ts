import { FrameReader, FrameWriter, StdinSource, SYNC_WRITE_BYTES } from "../framing/mod.ts";
import { LOG_FILE_MAX_BYTES, LOG_FILES_KEPT, SHUTDOWN_GRACE_MS } from "../host/constants.ts";
import { LatencyHistogram } from "../host/latency_histogram.ts";
import { type Labels, Metrics } from "../host/metrics.ts";
import { pluginMetricsSampler } from "../host/plugin_metrics.ts";
import { DeferredBackend } from "../launcher/deferred_backend.ts";
import { errorCodeName } from "../launcher/error_code_name.ts";
import { LauncherSession } from "../launcher/session.ts";
import { createLogger, fileSink, type JsonLogger, type LogSink, stderrSink } from "../log/mod.ts";
import { routeConsoleToLog } from "./console_guard.ts";
import { ensureDirectory } from "./directories.ts";
import type * as LauncherHostModule from "./launcher_host.ts";
import type { LauncherHost } from "./launcher_host.ts";
import { importLazy } from "./lazy_modules.ts";
import { type LauncherOptions, readLauncherOptions } from "./launcher_options.ts";
import { choosePlugin } from "./plugin_choice.ts";
import { loadProfiles, profilesPath } from "./profiles_file.ts";

/**
 * Serves the Launcher Plugin API on stdin/stdout until stdin ends or a signal arrives.
 * Only what answering Bootstrap needs comes first (options, the log, the chosen plugin's
 * manifest, the session); the job store, the instance pool and their modules start once
 * the answer is written (`startLauncherHost`), and requests other than Bootstrap wait for
 * them.
 */
export async function runLauncherMode(args: string[]): Promise<number> {
  const startedAt = performance.now();
  const options = readLauncherOptions(args);
  ensureDirectory(options.scratchPath, options.origin["scratch-path"], "--scratch-path", 0o700);
  const log = openLog(options);
  routeConsoleToLog(log);
  const plugin = await choosePlugin(options, log);
  // Configuration is checked before Bootstrap: a broken profiles file stops the start.
  const profiles = loadProfiles(profilesPath(options, plugin.name), plugin.users);
  const metrics = new Metrics();
  const metricsIntervalSeconds = options.pluginMetricsIntervalSeconds ?? 0;
  const latency = metricsIntervalSeconds > 0 ? new LatencyHistogram() : undefined;
  let host: LauncherHost | undefined;
  let leaseLost = false;
  let starting: Promise<LauncherHost> | undefined;
  // Once the Bootstrap answer is written, or when a request needs it first: loading its
  // modules beside the Bootstrap request would hold the answer back.
  const startHost = () => {
    if (starting) return starting;
    starting = importLazy<typeof LauncherHostModule>("launcherHost").then(({ startLauncherHost }) =>
      startLauncherHost({
        options,
        plugin,
        log,
        metrics,
        profiles,
        ...(latency ? { latency } : {}),
        onLeaseLost: () => {
          leaseLost = true;
          session.stop();
        },
      })
    ).then((started) => host = started);
    // A host that cannot start (a job store that does not open) ends the session; its
    // error then ends the process, as it did when the store opened before Bootstrap.
    starting.catch(() => session.stop());
    return starting;
  };
  const backend = new DeferredBackend(() => startHost().then((started) => started.service));
  const session: LauncherSession = new LauncherSession({
    // Each frame is decoded before the next is read (LauncherSession), so it may be lent.
    reader: new FrameReader(stdinSource(log), {
      maxFrameBytes: options.maxMessageSize,
      lendPayloads: true,
    }),
    writer: new FrameWriter(Deno.stdout, {
      maxFrameBytes: options.maxMessageSize,
      syncWriteBytes: SYNC_WRITE_BYTES,
    }),
    backend,
    log,
    heartbeatIntervalMs: options.heartbeatIntervalSeconds * 1000,
    drainTimeoutMs: SHUTDOWN_GRACE_MS,
    observe: requestObserver(metrics),
    onErrorSent: errorCounter(metrics),
    limitSettings: limitSettings(options),
    // The host starts once the Bootstrap response is written (see
    // LauncherSessionOptions.onBootstrapped); its timers, expiry and instance recovery once
    // it has heard of the Bootstrap.
    onBootstrapped: () => void backend.start().then(() => host?.onBootstrapped(), () => {}),
    ...(latency
      ? {
        metrics: {
          intervalMs: metricsIntervalSeconds * 1000,
          sample: pluginMetricsSampler({
            startedAt,
            latency,
            runnerPids: () => host?.pool.pids() ?? Promise.resolve([]),
          }),
        },
      }
      : {}),
  });
  const stopOnSignal = () => session.stop();
  for (const signal of ["SIGTERM", "SIGINT"] as const) Deno.addSignalListener(signal, stopOnSignal);
  const end = await session.run();
  // Nothing started it when the Launcher left without a request.
  await using _host = starting ? await starting : undefined;
  log.info("Launcher session ended", { reason: end });
  // A lost cluster lease ends the process with an error: the Launcher restarts plugins
  // that end unexpectedly, and the new host joins as a new incarnation.
  return end === "frame-error" || leaseLost ? 1 : 0;
}

/** Both places the frame limit is set: the Launcher's and this plugin's. */
function limitSettings(options: LauncherOptions): string {
  const file = options.configFile ?? `launcher.${options.pluginName || "launchbox"}.conf`;
  return `max-message-size in launcher.conf [server] and in ${file} (or --max-message-size)`;
}

/** The Launcher's stdin, moved to a socket once busy (see StdinSource), saying so in the log. */
function stdinSource(log: JsonLogger): StdinSource {
  return new StdinSource({
    onSwitch: (outcome) =>
      outcome.ok
        ? log.info("Reading the Launcher's requests from the event loop (node:net socket)")
        : log.debug("Reading the Launcher's requests through Deno.stdin", {
          reason: outcome.reason,
        }),
  });
}

/** Logs to stderr and the logging dir; a default dir that cannot be made only warns. */
function openLog(options: LauncherOptions): JsonLogger {
  const sinks: LogSink[] = [stderrSink()];
  let problem: unknown;
  if (options.loggingDir) {
    try {
      ensureDirectory(options.loggingDir, options.origin["logging-dir"], "--logging-dir", 0o700);
      const path = `${options.loggingDir}/${options.pluginName || "launchbox"}.log`;
      sinks.push(fileSink(path, { maxBytes: logMaxBytes(), keep: LOG_FILES_KEPT }));
    } catch (error) {
      if (options.origin["logging-dir"] !== "default") throw error;
      problem = error;
    }
  }
  const log = createLogger({ level: options.debug ? "debug" : "info", sinks });
  if (problem) log.warn("Logging to stderr only", { reason: (problem as Error).message });
  return log;
}

/** LAUNCHBOX_LOG_MAX_BYTES rotates log files sooner, for tests (default LOG_FILE_MAX_BYTES). */
function logMaxBytes(): number {
  const bytes = Number(Deno.env.get("LAUNCHBOX_LOG_MAX_BYTES") ?? LOG_FILE_MAX_BYTES);
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : LOG_FILE_MAX_BYTES;
}

/** Counts and times requests, reusing one label object per method and outcome. */
function requestObserver(metrics: Metrics): (type: string, seconds: number, ok: boolean) => void {
  const labels = new Map<string, { counted: Labels; timed: Labels }>();
  return (type, seconds, ok) => {
    const outcome = ok ? "ok" : "error";
    let entry = labels.get(type + outcome);
    if (!entry) {
      entry = { counted: { method: type, outcome }, timed: { method: type } };
      labels.set(type + outcome, entry);
    }
    metrics.inc("launchbox_requests_total", "Launcher requests answered", entry.counted);
    metrics.observe(
      "launchbox_request_duration_seconds",
      "Launcher request latency",
      entry.timed,
      seconds,
    );
  };
}

/** Counts Error responses by protocol error code name (`InvalidRequest`, …). */
function errorCounter(metrics: Metrics): (code: number) => void {
  const labels = new Map<number, Labels>();
  return (code) => {
    let entry = labels.get(code);
    if (!entry) {
      entry = { code: errorCodeName(code) };
      labels.set(code, entry);
    }
    metrics.inc("launchbox_error_responses_total", "Error responses sent, by error code", entry);
  };
}
