import type { Message } from "../../src/launcher/launcher_client.ts";
import { type HostOptions, type HostProcess, spawnHost } from "../_support/host_process.ts";
import { dropSchema, freshSchema } from "../_support/postgres.ts";
import { jobRequest } from "../_support/requests.ts";

/** The lease the test hosts hold: short, so a killed host is failed over within seconds. */
export const TEST_LEASE_MS = 1500;

/** Which plugin the hosts serve (the inmemory plugin by default). */
export type ClusterPlugin = Pick<HostOptions, "pluginsDir" | "pluginName">;

/** Three (or `count`) hosts of one plugin on one PostgreSQL schema. */
export class TestCluster implements AsyncDisposable {
  readonly hosts: HostProcess[];
  /** The schema the hosts share (for tests that look at the tables). */
  readonly schema: string;
  readonly #url: string;
  readonly #config: string[];
  readonly #plugin: ClusterPlugin;
  /** Scratch directories of restarted hosts, removed at the end. */
  readonly #kept: string[] = [];

  private constructor(url: string, config: string[], plugin: ClusterPlugin) {
    this.hosts = [];
    this.schema = freshSchema();
    this.#url = url;
    this.#config = config;
    this.#plugin = plugin;
  }

  /** Starts the hosts (node ids `node-a`, `node-b`, …) and bootstraps each. */
  static async start(
    url: string,
    config: string[],
    count = 3,
    plugin: ClusterPlugin = {},
  ): Promise<TestCluster> {
    const cluster = new TestCluster(url, config, plugin);
    try {
      // One at a time: the first creates the schema, the others find it.
      for (let i = 0; i < count; i++) cluster.hosts.push(await cluster.#spawn(i));
      return cluster;
    } catch (error) {
      await cluster[Symbol.asyncDispose]();
      throw error;
    }
  }

  /**
   * Starts host `i` again as the same node (a new incarnation, its old scratch directory)
   * after it exited or was killed; the new process replaces it in `hosts`.
   */
  async restart(i: number): Promise<HostProcess> {
    const old = this.hosts[i]!;
    old.keepScratch();
    await old[Symbol.asyncDispose]();
    this.#kept.push(old.scratch);
    const host = await this.#spawn(i, old.scratch);
    this.hosts[i] = host;
    return host;
  }

  /**
   * Starts host `index` anew with `config` and a fresh scratch directory (the old process,
   * if any, is killed first): the same node id, a new incarnation.
   */
  async spawnNode(index: number, config: string[]): Promise<HostProcess> {
    await this.hosts[index]?.[Symbol.asyncDispose]();
    const host = await this.#spawn(index, undefined, config);
    this.hosts[index] = host;
    return host;
  }

  async #spawn(i: number, scratch?: string, config = this.#config): Promise<HostProcess> {
    const node = `node-${String.fromCharCode(97 + i)}`;
    const host = await spawnHost({
      ...this.#plugin,
      config,
      ...(scratch ? { scratch } : {}),
      args: [
        `--job-store-url=${this.#url}`,
        `--job-store-schema=${this.schema}`,
        `--node-id=${node}`,
        `--node-address=127.0.0.1:${i}`,
        `--node-lease-seconds=${TEST_LEASE_MS / 1000}`,
      ],
    });
    await host.client.bootstrap();
    return host;
  }

  /** Every host's stderr, to explain a failure. */
  async stderr(): Promise<string> {
    const parts = await Promise.all(this.hosts.map(async (host, i) => {
      try {
        host.kill("SIGKILL");
      } catch {
        // exited already
      }
      return `--- host ${i} ---\n${(await host.stderr().catch(() => "")).slice(-3000)}`;
    }));
    return parts.join("\n");
  }

  async [Symbol.asyncDispose](): Promise<void> {
    for (const host of this.hosts) await host[Symbol.asyncDispose]();
    for (const dir of this.#kept) await Deno.remove(dir, { recursive: true }).catch(() => {});
    await dropSchema(this.#url, this.schema).catch(() => {});
  }
}

/** GetJob for one job (or `"*"`) through `host`; the jobs of the answer. */
export async function getJobs(
  host: HostProcess,
  user: string,
  id: string,
  extra: Record<string, unknown> = {},
): Promise<Record<string, unknown>[]> {
  const reply: Message = await host.client.request(jobRequest(host.client, 3, user, id, extra));
  if (reply.messageType !== 2) throw new Error(`GetJob failed: ${JSON.stringify(reply)}`);
  return reply.jobs as Record<string, unknown>[];
}
