/**
 * Modules loaded only once they are needed, by computed specifiers (relative to the
 * checkout). `deno run` builds the module graph of every literal `import("…")` it finds,
 * reading each file and resolving its npm packages, when the importing module loads: a
 * literal specifier here would put the whole deferred graph (and npm:postgres) before the
 * Bootstrap answer. `bin/build` passes each to `deno compile --include`.
 */
export const LAZY_MODULES = {
  /** The Launcher host behind the session: job store, instance pool, service, metrics. */
  launcherHost: "./src/cli/launcher_host.ts",
  /** Runner processes: the remote plugin, its RPC, permissions and the runner command. */
  runnerFactory: "./src/host/runner_factory.ts",
  /** The PostgreSQL job store and its driver (npm:postgres), for `job-store-url` only. */
  postgresStore: "./src/host/job_store/postgres/mod.ts",
  /** A cluster node on a shared PostgreSQL store (leases, forwarding). */
  clusterNode: "./src/host/cluster_node.ts",
  /** Ending the processes of jobs failed over from this node's lost lease. */
  lostLeaseStop: "./src/host/lost_lease_stop.ts",
  /** The Airflow task runtime, loaded once both sockets are being dialed. */
  coordinator: "./src/airflow/coordinator.ts",
  /** Bundle metadata (`--airflow-metadata`). */
  bundleMetadata: "./src/airflow/bundle_metadata.ts",
  /** Plugin discovery, for the default plugins directory. */
  discovery: "./src/sandbox/discovery.ts",
} as const;

const ROOT = new URL("../../", import.meta.url);

/** Imports one of {@linkcode LAZY_MODULES}. */
export function importLazy<T>(key: keyof typeof LAZY_MODULES): Promise<T> {
  const specifier: string = new URL(LAZY_MODULES[key], ROOT).href;
  return import(specifier);
}
