import type { Message } from "../../src/launcher/launcher_client.ts";
import { type HostProcess, spawnHost } from "../_support/host_process.ts";
import { dropSchema, freshSchema } from "../_support/postgres.ts";
import { jobRequest } from "../_support/requests.ts";

/** The lease the test hosts hold: short, so a killed host is failed over within seconds. */
export const TEST_LEASE_MS = 1500;

/** Three (or `count`) hosts of the inmemory plugin on one PostgreSQL schema. */
export class TestCluster implements AsyncDisposable {
  readonly hosts: HostProcess[];
  readonly #url: string;
  readonly #schema: string;

  private constructor(hosts: HostProcess[], url: string, schema: string) {
    this.hosts = hosts;
    this.#url = url;
    this.#schema = schema;
  }

  /** Starts the hosts (node ids `node-a`, `node-b`, …) and bootstraps each. */
  static async start(url: string, config: string[], count = 3): Promise<TestCluster> {
    const schema = freshSchema();
    const hosts: HostProcess[] = [];
    const cluster = new TestCluster(hosts, url, schema);
    try {
      for (let i = 0; i < count; i++) {
        const node = `node-${String.fromCharCode(97 + i)}`;
        const host = await spawnHost({
          config,
          args: [
            `--job-store-url=${url}`,
            `--job-store-schema=${schema}`,
            `--node-id=${node}`,
            `--node-address=127.0.0.1:${i}`,
            `--node-lease-seconds=${TEST_LEASE_MS / 1000}`,
          ],
        });
        hosts.push(host);
        // One at a time: the first creates the schema, the others find it.
        await host.client.bootstrap();
      }
      return cluster;
    } catch (error) {
      await cluster[Symbol.asyncDispose]();
      throw error;
    }
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
    await dropSchema(this.#url, this.#schema).catch(() => {});
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
