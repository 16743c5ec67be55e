import { FrameReader, FrameWriter, SYNC_WRITE_BYTES } from "../framing/mod.ts";
import {
  EXPIRY_SWEEP_MS,
  LOG_FILE_MAX_BYTES,
  LOG_FILES_KEPT,
  SHUTDOWN_GRACE_MS,
} from "../host/constants.ts";
import { type HealthVerdict, healthVerdict } from "../host/health.ts";
import { InstancePool } from "../host/instance_pool.ts";
import { ClusterNode } from "../host/cluster_node.ts";
import type { AsyncJobStore } from "../host/job_store/store_interface.ts";
import { STORE_FAILURE_KINDS, type StoreHealth } from "../host/job_store/postgres/store_health.ts";
import { jobsHandleFor } from "../host/jobs_handle.ts";
import { LatencyHistogram } from "../host/latency_histogram.ts";
import { LauncherService } from "../host/launcher_service.ts";
import { type Labels, Metrics } from "../host/metrics.ts";
import { serveMetrics } from "../host/metrics_server.ts";
import { pluginMetricsSampler } from "../host/plugin_metrics.ts";
import { systemClock } from "../host/system_clock.ts";
import { errorCodeName } from "../launcher/error_code_name.ts";
import type { OutputRequest } from "../sdk/mod.ts";
import { LauncherSession } from "../launcher/session.ts";
import { createLogger, fileSink, type JsonLogger, type LogSink, stderrSink } from "../log/mod.ts";
import { routeConsoleToLog } from "./console_guard.ts";
import { ensureDirectory } from "./directories.ts";
import { type LauncherOptions, readLauncherOptions } from "./launcher_options.ts";
import { instanceFactoryFor } from "./instance_factory.ts";
import { openJobStore } from "./job_store_choice.ts";
import { choosePlugin } from "./plugin_choice.ts";
import { loadProfiles, profilesPath } from "./profiles_file.ts";
import { UsageError } from "./usage_error.ts";

/** Serves the Launcher Plugin API on stdin/stdout until stdin ends or a signal arrives. */
export async function runLauncherMode(args: string[]): Promise<number> {
  const startedAt = performance.now();
  const options = readLauncherOptions(args);
  ensureDirectory(options.scratchPath, options.origin["scratch-path"], "--scratch-path", 0o700);
  const log = openLog(options);
  routeConsoleToLog(log);
  const plugin = await choosePlugin(options, log);
  const metrics = new Metrics();
  const opened = await openJobStore(options, plugin.keyFor, log);
  await using store = opened.store;
  await using pool = new InstancePool({
    pluginName: plugin.name,
    factory: instanceFactoryFor(plugin, options, metrics),
    keyFor: plugin.keyFor,
    jobsFor: (key) =>
      jobsHandleFor(store, key, {
        log: log.with({ instance: key }),
        seeOtherNodes: options.sharedOutputFiles,
      }),
    hasLiveJobs: async (key) => (await store.liveJobs(key)).length > 0,
    log: log.with({ plugin: plugin.name }),
    health: plugin.health,
    metrics,
    timeScale: timeScale(),
    level: plugin.manifest.isolation,
  });
  const profiles = loadProfiles(profilesPath(options, plugin.name), plugin.users);
  const metricsIntervalSeconds = options.pluginMetricsIntervalSeconds ?? 0;
  const latency = metricsIntervalSeconds > 0 ? new LatencyHistogram() : undefined;
  // The cluster node is joined before the service and session exist; it reaches them here.
  const late: { service?: LauncherService; session?: LauncherSession } = {};
  await using cluster = opened.kind === "postgres"
    ? await ClusterNode.join({
      store: opened.store,
      address: options.nodeAddress,
      mode: plugin.manifest.cluster,
      log,
      leaseMs: options.nodeLeaseMs,
      onAdopted: (ids) => late.service?.adoptJobs(ids) ?? Promise.resolve(),
      onLost: () => late.session?.stop(),
      onControl: ({ job, op, user }) => {
        if (!late.service) throw new Error("Cannot control a job before the host is serving");
        return late.service.controlJob(user, job, op, AbortSignal.timeout(plugin.requestTimeoutMs));
      },
      onStream: (request, signal) => {
        if (!late.service) throw new Error("Cannot forward a stream before the host is serving");
        const { job, user } = request;
        return request.kind === "output"
          ? late.service.jobOutput(user, job, request.wanted as OutputRequest, signal)
          : late.service.jobResourceUtil(user, job, signal);
      },
      callTimeoutMs: plugin.requestTimeoutMs + 1000,
      sharedOutputFiles: options.sharedOutputFiles,
    })
    : undefined;
  const service = late.service = new LauncherService({
    pluginName: plugin.name,
    store,
    pool,
    log,
    clock: systemClock,
    requestTimeoutMs: plugin.requestTimeoutMs,
    profileOf: profiles.profileOf,
    reloadHostConfig: profiles.reload,
    ...(latency ? { onPluginCall: (seconds: number) => latency.observe(seconds) } : {}),
    ...(cluster
      ? {
        routing: cluster.routing,
        onLoadBalancerNodes: (nodes) => cluster.compareLoadBalancerNodes(nodes),
      }
      : {}),
  });
  let sweep: ReturnType<typeof setInterval> | undefined;
  const session = late.session = new LauncherSession({
    reader: new FrameReader(Deno.stdin, { maxFrameBytes: options.maxMessageSize }),
    writer: new FrameWriter(Deno.stdout, {
      maxFrameBytes: options.maxMessageSize,
      syncWriteBytes: SYNC_WRITE_BYTES,
    }),
    backend: service,
    log,
    heartbeatIntervalMs: options.heartbeatIntervalSeconds * 1000,
    drainTimeoutMs: SHUTDOWN_GRACE_MS,
    observe: requestObserver(metrics),
    onErrorSent: errorCounter(metrics),
    // Its timer and the instances' recovery wait for the Bootstrap response to be written
    // (see LauncherSessionOptions.onBootstrapped).
    onBootstrapped: () => {
      sweep ??= setInterval(() => expire(service, log), EXPIRY_SWEEP_MS);
      void service.recoverInstances();
    },
    ...(latency
      ? {
        metrics: {
          intervalMs: metricsIntervalSeconds * 1000,
          sample: pluginMetricsSampler({ startedAt, latency, runnerPids: () => pool.pids() }),
        },
      }
      : {}),
  });
  metrics.onRefresh(() => collectJobs(metrics, store));
  if (opened.kind === "postgres") countStoreFailures(metrics, opened.store.health);
  await using _server = options.metricsAddress
    ? serveMetricsFor(options.metricsAddress, metrics, log, () => {
      const instances = pool.health();
      // SQLite remembers a failed commit; PostgreSQL its failed queries, renewals and LISTEN.
      const storeFailure = (store as AsyncJobStore).commitFailure;
      const storeFailures = opened.kind === "postgres" ? opened.store.health.failures : [];
      const verdict = healthVerdict({
        plugin: plugin.name,
        instances,
        storeFailure,
        storeFailures,
      });
      return { ...verdict, plugin: plugin.name, instances };
    })
    : undefined;
  void expire(service, log);
  const stopOnSignal = () => session.stop();
  for (const signal of ["SIGTERM", "SIGINT"] as const) Deno.addSignalListener(signal, stopOnSignal);
  log.info("Launchbox is serving the Launcher", {
    plugin: plugin.name,
    scratch: options.scratchPath,
    jobStore: opened.kind,
    ...(cluster ? { node: options.nodeId } : {}),
  });
  const end = await session.run();
  clearInterval(sweep);
  log.info("Launcher session ended", { reason: end });
  return end === "frame-error" ? 1 : 0;
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

/** LAUNCHBOX_TIME_SCALE shortens backoff and breaker cool-down, for tests (default 1). */
function timeScale(): number {
  const scale = Number(Deno.env.get("LAUNCHBOX_TIME_SCALE") ?? 1);
  return Number.isFinite(scale) && scale > 0 ? scale : 1;
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

/** `launchbox_job_store_failures_total{kind}`: every kind present from the start, at 0. */
function countStoreFailures(metrics: Metrics, health: StoreHealth): void {
  const name = "launchbox_job_store_failures_total";
  const help = "Failed job store queries and commits, lease renewals and LISTEN probes";
  const labels = new Map(STORE_FAILURE_KINDS.map((kind) => [kind, { kind }]));
  for (const kind of STORE_FAILURE_KINDS) metrics.inc(name, help, labels.get(kind), 0);
  health.onFailure((kind) => metrics.inc(name, help, labels.get(kind)));
}

async function collectJobs(metrics: Metrics, store: AsyncJobStore): Promise<void> {
  const counts = await store.countByStatus();
  metrics.reset("launchbox_jobs");
  for (const [status, count] of Object.entries(counts)) {
    metrics.set("launchbox_jobs", "Jobs in the store by status", { status }, count);
  }
}

function serveMetricsFor(
  address: string,
  metrics: Metrics,
  log: JsonLogger,
  verdict: () => HealthVerdict & Record<string, unknown>,
) {
  const started = Date.now();
  const health = () => ({
    ...verdict(),
    uptimeSeconds: Math.round((Date.now() - started) / 1000),
  });
  let server;
  try {
    server = serveMetrics(address, metrics, { log, health });
  } catch (error) {
    throw new UsageError(
      `Cannot serve metrics on ${address} (--metrics-address): ${(error as Error).message}`,
    );
  }
  log.info("Serving metrics", { address: `${server.addr.hostname}:${server.addr.port}` });
  return { [Symbol.asyncDispose]: () => server.shutdown() };
}

async function expire(service: LauncherService, log: JsonLogger): Promise<void> {
  try {
    const removed = await service.expireJobs();
    if (removed > 0) log.info("Expired finished jobs", { removed });
  } catch (error) {
    log.error("Cannot expire jobs", { error });
  }
}
