import { EXPIRY_SWEEP_MS } from "../host/constants.ts";
import type * as ClusterNodeModule from "../host/cluster_node.ts";
import type { ClusterNode } from "../host/cluster_node.ts";
import { FileCrashNotes } from "../host/crash_notes.ts";
import { type HealthVerdict, healthVerdict } from "../host/health.ts";
import { InstancePool } from "../host/instance_pool.ts";
import { STORE_FAILURE_KINDS, type StoreHealth } from "../host/job_store/postgres/store_health.ts";
import type { NodeLease, PostgresJobStore } from "../host/job_store/postgres/mod.ts";
import type { AsyncJobStore } from "../host/job_store/store_interface.ts";
import { jobsHandleFor } from "../host/jobs_handle.ts";
import type { LatencyHistogram } from "../host/latency_histogram.ts";
import type * as LostLeaseStopModule from "../host/lost_lease_stop.ts";
import { LauncherService } from "../host/launcher_service.ts";
import type { Metrics } from "../host/metrics.ts";
import { serveMetrics } from "../host/metrics_server.ts";
import { systemClock } from "../host/system_clock.ts";
import type { JsonLogger } from "../log/mod.ts";
import type { OutputRequest } from "../sdk/mod.ts";
import { instanceFactoryFor } from "./instance_factory.ts";
import { openJobStore } from "./job_store_choice.ts";
import { importLazy } from "./lazy_modules.ts";
import type { LauncherOptions } from "./launcher_options.ts";
import type { ChosenPlugin } from "./plugin_choice.ts";
import type { loadProfiles } from "./profiles_file.ts";
import { UsageError } from "./usage_error.ts";

/** What {@linkcode startLauncherHost} needs from the start-up that answers Bootstrap. */
export interface LauncherHostOptions {
  options: LauncherOptions;
  plugin: ChosenPlugin;
  log: JsonLogger;
  metrics: Metrics;
  /** Plugin-call latency, when plugin metrics are reported. */
  latency?: LatencyHistogram;
  /** The user profiles file, read (and checked) before Bootstrap. */
  profiles: ReturnType<typeof loadProfiles>;
  /** This node lost its cluster lease: the session ends and the process exits 1. */
  onLeaseLost: () => void;
}

/** The serving half of a Launcher host; disposing it closes everything it opened. */
export interface LauncherHost extends AsyncDisposable {
  readonly service: LauncherService;
  readonly pool: InstancePool;
  /** Once the Bootstrap response is written: timers, expiry and instance recovery start. */
  onBootstrapped(): void;
}

/**
 * Opens the job store, the instance pool, the service and (for a PostgreSQL store) the
 * cluster node and the metrics server. It starts once the Bootstrap answer is written, so
 * the Launcher's first answer waits for none of its modules (docs/architecture.md).
 */
export async function startLauncherHost(o: LauncherHostOptions): Promise<LauncherHost> {
  const { options, plugin, log, metrics } = o;
  const stack = new AsyncDisposableStack();
  try {
    const opened = await openJobStore(options, plugin.keyFor, log);
    const store = stack.use(opened.store);
    const factory = stack.use(instanceFactoryFor(plugin, options, { metrics, log }));
    const pool = stack.use(
      new InstancePool({
        pluginName: plugin.name,
        factory,
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
      }),
    );
    const { profiles } = o;
    // A lost lease: the failed-over jobs' processes end before the instances close (the
    // stack closes in reverse, so this runs just before the pool).
    let stoppingLost: Promise<void> | undefined;
    stack.defer(() => stoppingLost);
    // The cluster node is joined before the service exists; it reaches it here.
    const late: { service?: LauncherService } = {};
    // Only a PostgreSQL store joins a cluster; its client library (npm:postgres, 40–60 ms
    // of loading) comes with it.
    const cluster: ClusterNode | undefined = opened.kind === "postgres"
      ? stack.use(
        await (await importLazy<typeof ClusterNodeModule>("clusterNode")).ClusterNode.join({
          store: opened.store,
          address: options.nodeAddress,
          mode: plugin.manifest.cluster,
          log,
          leaseMs: options.nodeLeaseMs,
          onAdopted: (ids) => late.service?.adoptJobs(ids) ?? Promise.resolve(),
          onLost: (lease) => {
            stoppingLost = stopLostLease(opened.store, pool, { lease, options, log });
            o.onLeaseLost();
          },
          onControl: ({ job, op, user }) => {
            if (!late.service) throw new Error("Cannot control a job before the host is serving");
            const signal = AbortSignal.timeout(plugin.requestTimeoutMs);
            return late.service.controlJob(user, job, op, signal);
          },
          onStream: (request, signal) => {
            if (!late.service) {
              throw new Error("Cannot forward a stream before the host is serving");
            }
            const { job, user } = request;
            return request.kind === "output"
              ? late.service.jobOutput(user, job, request.wanted as OutputRequest, signal)
              : late.service.jobResourceUtil(user, job, signal);
          },
          callTimeoutMs: plugin.requestTimeoutMs + 1000,
          sharedOutputFiles: options.sharedOutputFiles,
        }),
      )
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
      crashNotes: new FileCrashNotes(`${options.scratchPath}/crashes`, log),
      ...(o.latency ? { onPluginCall: (seconds: number) => o.latency!.observe(seconds) } : {}),
      ...(cluster
        ? {
          routing: cluster.routing,
          onLoadBalancerNodes: (nodes) => cluster.compareLoadBalancerNodes(nodes),
        }
        : {}),
    });
    metrics.onRefresh(() => collectJobs(metrics, store));
    if (opened.kind === "postgres") countStoreFailures(metrics, opened.store.health);
    if (options.metricsAddress) {
      stack.use(serveMetricsFor(options.metricsAddress, metrics, log, () => {
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
      }));
    }
    let sweep: ReturnType<typeof setInterval> | undefined;
    stack.defer(() => clearInterval(sweep));
    log.info("Launchbox is serving the Launcher", {
      plugin: plugin.name,
      scratch: options.scratchPath,
      jobStore: opened.kind,
      ...(cluster ? { node: options.nodeId } : {}),
    });
    const moved = stack.move();
    return {
      service,
      pool,
      onBootstrapped() {
        if (sweep !== undefined) return;
        sweep = setInterval(() => expire(service, log), EXPIRY_SWEEP_MS);
        void expire(service, log);
        void service.recoverInstances();
        factory.warm();
      },
      [Symbol.asyncDispose]: () => moved.disposeAsync(),
    };
  } catch (error) {
    await stack.disposeAsync();
    throw error;
  }
}

/** Ends the processes of the jobs failed over from a lost lease (see `stopLostJobs`). */
async function stopLostLease(
  store: PostgresJobStore,
  pool: InstancePool,
  o: { lease: NodeLease; options: LauncherOptions; log: JsonLogger },
): Promise<void> {
  const { lease, log } = o;
  try {
    const { stopLostJobs } = await importLazy<typeof LostLeaseStopModule>("lostLeaseStop");
    await stopLostJobs({ store, pool, lease, leaseMs: o.options.nodeLeaseMs, log });
  } catch (error) {
    log.error("Cannot stop the jobs failed over from this node's lost lease", { error });
  }
}

/** LAUNCHBOX_TIME_SCALE shortens backoff and breaker cool-down, for tests (default 1). */
function timeScale(): number {
  const scale = Number(Deno.env.get("LAUNCHBOX_TIME_SCALE") ?? 1);
  return Number.isFinite(scale) && scale > 0 ? scale : 1;
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
): AsyncDisposable {
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
