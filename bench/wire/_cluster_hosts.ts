import { dropSchema, freshSchema, privatePostgres } from "../../test/_support/postgres.ts";
import { treeCpuSeconds } from "./cpu.ts";
import { ROOT, startHost } from "./host.ts";

/** A host the cluster driver started, and the node name it runs as. */
export type BenchHost = Awaited<ReturnType<typeof startHost>> & { node: string };

/** The private PostgreSQL (scripts/postgres-up) and a schema of this run's own. */
export interface BenchStore {
  /** The URL with its password, for this process only. */
  readonly url: string;
  readonly schema: string;
  /** The URL without its password, for the hosts' config files. */
  readonly bare: string;
  /** For the hosts' environment: the password and the schema. */
  readonly env: Record<string, string>;
  drop(): Promise<void>;
}

/**
 * The store of `scripts/postgres-up`, or an error saying why there is none (the driver's
 * row then says "not measured: …").
 */
export async function benchStore(): Promise<BenchStore> {
  const pg = await privatePostgres();
  if ("skip" in pg) throw new Error(`skipped: ${pg.skip}`);
  const schema = freshSchema();
  const bare = new URL(pg.url);
  const password = decodeURIComponent(bare.password);
  bare.password = "";
  return {
    url: pg.url,
    schema,
    bare: bare.href,
    env: { LAUNCHBOX_JOB_STORE_SCHEMA: schema, PGPASSWORD: password },
    drop: () => dropSchema(pg.url, schema),
  };
}

/** What every cluster host runs: a plugin, its config lines, and (maybe) the shared store. */
export interface ClusterSpec {
  plugin?: string;
  pluginsDir?: string;
  config: string[];
  /** Absent: each host on its own SQLite file (the one-node comparison). */
  store?: BenchStore;
}

/** Starts `count` hosts one after the other (the first creates the schema) and bootstraps each. */
export async function startHosts(count: number, spec: ClusterSpec): Promise<BenchHost[]> {
  const hosts: BenchHost[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const node = `node-${String.fromCharCode(97 + i)}`;
      const shared = spec.store
        ? [`job-store-url=${spec.store.bare}`, `node-id=${node}`, "node-address=127.0.0.1"]
        : [];
      const host = await startHost({
        ...(spec.plugin ? { plugin: spec.plugin } : {}),
        ...(spec.pluginsDir ? { pluginsDir: spec.pluginsDir } : {}),
        config: [...shared, ...spec.config],
        ...(spec.store ? { env: spec.store.env } : {}),
      });
      hosts.push(Object.assign(host, { node }));
      const boot = await host.client.bootstrap();
      if (boot.messageType !== 1) throw new Error(`${node}: ${boot.errorMessage}`);
    }
    return hosts;
  } catch (error) {
    await stopHosts(hosts);
    throw error;
  }
}

export async function stopHosts(hosts: BenchHost[]): Promise<void> {
  await Promise.all(hosts.map((host) => host.stop().catch(() => {})));
}

/** The churn fixture plugin (a status message stamped with its send time per update). */
export const CHURN = { plugin: "churn", pluginsDir: `${ROOT}bench/fixtures/plugins` };

/**
 * CPU seconds (user + system) of each host's process tree, and of the PostgreSQL server's
 * (its postmaster and backends) when its pid can be read, measured around `work`.
 */
export async function cpuAround<T>(
  hosts: BenchHost[],
  work: () => Promise<T>,
): Promise<{ result: T; hosts: number; each: number[]; server: number | undefined }> {
  const server = await postmasterPid();
  const sample = () => Promise.all([...hosts.map((h) => h.child.pid), server ?? -1].map(cpuOf));
  const before = await sample();
  const result = await work();
  const after = await sample();
  const used = after.map((value, i) => value - before[i]!);
  const each = used.slice(0, hosts.length);
  return {
    result,
    hosts: each.reduce((sum, value) => sum + value, 0),
    each,
    server: server === undefined ? undefined : used.at(-1),
  };
}

function cpuOf(pid: number): Promise<number> {
  return pid < 0 ? Promise.resolve(0) : treeCpuSeconds(pid);
}

/** The private server's postmaster pid (first line of `<data>/postmaster.pid`), if readable. */
async function postmasterPid(): Promise<number | undefined> {
  try {
    const cluster = (await Deno.readTextFile(`${ROOT}.tools/postgres/cluster`)).trim();
    const first = (await Deno.readTextFile(`${cluster}/data/postmaster.pid`)).split("\n")[0];
    const pid = Number(first);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
