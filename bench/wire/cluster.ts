import {
  type BenchHost,
  type BenchStore,
  benchStore,
  CHURN,
  cpuAround,
  startHosts,
  stopHosts,
} from "./_cluster_hosts.ts";
import { getMany, submitMany, WINDOW } from "./_cluster_requests.ts";
import {
  CHURN_CONFIG,
  CHURN_JOBS,
  CHURN_UPDATES,
  churnStreams,
  notifyFloor,
  type StreamTally,
} from "./_cluster_stream.ts";
import { type Figure, percentile } from "./figure.ts";

const SUBMITS_PER_NODE = 1_500;
const SEQUENTIAL_GETS = 2_000;
const PIPELINED_GETS = 10_000;
/** Jobs stay Pending for the whole run, so the submit and GetJob phases see no updates. */
const QUIET_INMEMORY = ["pending-ms=600000"];
const PG = "cluster, 3 hosts on one PostgreSQL";
const LITE = "cluster comparison, 1 host on SQLite";

/**
 * Issue #14's measure over the wire: three hosts on the private PostgreSQL of
 * `scripts/postgres-up` (each its own process, as three Launcher nodes), and one host on
 * SQLite beside them. Submit throughput per node and in total (all three at once, 64 in
 * flight each), GetJob through a node that did not submit (one at a time for latency, 64
 * in flight for rate), status-stream latency from the plugin on node A to a stream on
 * node B and on A itself, and the CPU of the hosts' process trees and of the server per
 * request. The database's floor (a commit, a NOTIFY heard) is measured beside them.
 */
export async function clusterFigures(): Promise<Figure[]> {
  return [
    ...await onFreshStore((store) =>
      startHosts(3, { config: QUIET_INMEMORY, store }).then((hosts) => requestsOn(hosts, PG))
    ),
    ...await onFreshStore((store) =>
      startHosts(3, { ...CHURN, config: CHURN_CONFIG, store }).then((hosts) => streamsOn(hosts, PG))
    ),
    ...await onFreshStore(async (store) =>
      floorFigures(await notifyFloor(store.url, store.schema))
    ),
    ...await requestsOn(await startHosts(1, { config: QUIET_INMEMORY }), LITE),
    ...await streamsOn(await startHosts(1, { ...CHURN, config: CHURN_CONFIG }), LITE),
  ];
}

/**
 * Each phase on a schema of its own: a host that joins a store holding the previous
 * phase's 1 500 live jobs of its node id recovers (here: fails) them all first, and that
 * burst cost the nodes their leases (see BENCHMARKS.md, branch demo).
 */
async function onFreshStore(phase: (store: BenchStore) => Promise<Figure[]>): Promise<Figure[]> {
  const store = await benchStore();
  try {
    return await phase(store);
  } finally {
    await store.drop().catch(() => {});
  }
}

/** Submit on every host at once, then GetJob of the first host's jobs through the last. */
async function requestsOn(hosts: BenchHost[], label: string): Promise<Figure[]> {
  try {
    // Starts each host's plugin instance (and warms the JIT) before anything is timed.
    await Promise.all(hosts.map((host) => submitMany(host.client, WINDOW)));
    const started = performance.now();
    const submits = await cpuAround(
      hosts,
      () => Promise.all(hosts.map((host) => submitMany(host.client, SUBMITS_PER_NODE))),
    );
    const seconds = (performance.now() - started) / 1000;
    const total = SUBMITS_PER_NODE * hosts.length;
    const figures: Figure[] = hosts.length > 1
      ? submits.result.map(({ seconds }, i) => ({
        name: `${label}: pipelined SubmitJob through ${hosts[i]!.node}, all nodes at once`,
        value: SUBMITS_PER_NODE / seconds,
        unit: "jobs/s",
        note: `${SUBMITS_PER_NODE} jobs, window ${WINDOW}`,
      }))
      : [];
    figures.push(
      {
        name: `${label}: pipelined SubmitJob, total`,
        value: total / seconds,
        unit: "jobs/s",
        note: `${total} jobs, window ${WINDOW} per host`,
      },
      ...cpuFigures(label, "submit", submits, total),
    );
    const reader = hosts.at(-1)!;
    const ids = submits.result[0]!.ids;
    const through = hosts.length > 1 ? ` through ${reader.node} (jobs submitted on node-a)` : "";
    const one = await getMany(reader.client, ids, SEQUENTIAL_GETS, 1);
    const piped = await cpuAround(
      hosts,
      () => getMany(reader.client, ids, PIPELINED_GETS, WINDOW),
    );
    figures.push(
      {
        name: `${label}: GetJob one at a time${through}, p50`,
        value: percentile(one.latencies, 50),
        unit: "ms",
        note: `${SEQUENTIAL_GETS} requests`,
      },
      {
        name: `${label}: GetJob one at a time, p99`,
        value: percentile(one.latencies, 99),
        unit: "ms",
      },
      {
        name: `${label}: pipelined GetJob (window ${WINDOW})${through}`,
        value: PIPELINED_GETS / piped.result.seconds,
        unit: "/s",
        note: `p50 ${percentile(piped.result.latencies, 50).toFixed(2)} ms, p99 ${
          percentile(piped.result.latencies, 99).toFixed(2)
        } ms`,
      },
      ...cpuFigures(label, "GetJob", piped, PIPELINED_GETS),
    );
    return figures;
  } finally {
    await stopHosts(hosts);
  }
}

/** The churn jobs on the first host; `*` streams on the last host and on the first. */
async function streamsOn(hosts: BenchHost[], label: string): Promise<Figure[]> {
  try {
    const writer = hosts[0]!;
    const readers = hosts.length > 1 ? [hosts.at(-1)!, writer] : [writer];
    const run = await cpuAround(hosts, () => churnStreams(writer, readers));
    const [far, near] = run.result as [StreamTally, StreamTally | undefined];
    const figures = [
      ...streamFigures(
        hosts.length > 1
          ? `${label}: status change on node-a → stream on ${readers[0]!.node}`
          : `${label}: status change → stream on the same host`,
        far,
        hosts.length > 1 ? { op: "<=", value: 50 } : undefined,
      ),
      ...(near ? streamFigures(`${label}: status change on node-a → stream on node-a`, near) : []),
      ...cpuFigures(label, "status update", run, far.received),
    ];
    return figures;
  } finally {
    await stopHosts(hosts);
  }
}

const EXPECTED_UPDATES = CHURN_JOBS * CHURN_UPDATES;

function streamFigures(name: string, tally: StreamTally, budget?: Figure["budget"]): Figure[] {
  const each = [...tally.perJob.values()];
  const once = each.length === CHURN_JOBS && each.every((count) => count === CHURN_UPDATES);
  const complete = tally.received === EXPECTED_UPDATES && tally.inOrder && once;
  const note = complete
    ? `all ${EXPECTED_UPDATES} updates at 100/s, in order, once each; the ` +
      `${tally.latencies.length} after the first second timed`
    : `INCOMPLETE: ${tally.received}/${EXPECTED_UPDATES} updates, per job ${each.join("/")}${
      tally.inOrder ? "" : ", out of order"
    }`;
  const value = (p: number) => complete ? percentile(tally.latencies, p) : undefined;
  return [
    {
      name: `${name}, p99`,
      value: value(99),
      unit: "ms",
      note,
      ...(budget ? { budget } : {}),
      ...(complete ? {} : { failed: true }),
    },
    { name: `${name}, p50`, value: value(50), unit: "ms" },
  ];
}

function cpuFigures(
  label: string,
  what: string,
  cpu: { hosts: number; each: number[]; server: number | undefined },
  count: number,
): Figure[] {
  const perHost = cpu.each.map((seconds, i) =>
    `node-${String.fromCharCode(97 + i)} ${Math.round((seconds / count) * 1e6)}`
  );
  const figures: Figure[] = [{
    name: `${label}: host CPU per ${what} (user + system, every host's process tree)`,
    value: (cpu.hosts / count) * 1e6,
    unit: "µs",
    ...(cpu.each.length > 1 ? { note: `${perHost.join(", ")} µs` } : {}),
  }];
  if (label === PG && cpu.server !== undefined) {
    figures.push({
      name: `${label}: PostgreSQL server CPU per ${what} (postmaster and backends)`,
      value: (cpu.server / count) * 1e6,
      unit: "µs",
    });
  }
  return figures;
}

function floorFigures(floor: { commit: number[]; heard: number[] }): Figure[] {
  const count = `${floor.commit.length} one at a time`;
  return [
    {
      name: `${PG}: floor, INSERT + pg_notify committed, p50 / p99`,
      value: percentile(floor.commit, 50),
      unit: "ms",
      note: `p99 ${percentile(floor.commit, 99).toFixed(2)} ms; ${count}, synchronous_commit on`,
    },
    {
      name: `${PG}: floor, … heard by LISTEN on another connection, p50 / p99`,
      value: percentile(floor.heard, 50),
      unit: "ms",
      note: `p99 ${percentile(floor.heard, 99).toFixed(2)} ms; from the statement's start`,
    },
  ];
}
