import assert from "node:assert/strict";
import postgres from "postgres";
import { redactUrl } from "../../src/host/job_store/postgres/redact_url.ts";
import { FAST_INMEMORY, spawnHost } from "../_support/host_process.ts";
import { dropSchema, freshSchema, privatePostgres } from "../_support/postgres.ts";
import { userRequest } from "../_support/requests.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const pg = await privatePostgres();
const name = (what: string) => "skip" in pg ? `${what} (skipped: ${pg.skip})` : what;

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** Reads until `done` holds, for at most 30 s; a read that throws counts as not yet. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string) {
  const deadline = Date.now() + 30_000;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await read();
      if (done(value)) return value;
      last = value;
    } catch (error) {
      last = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what}: still ${JSON.stringify(last)}`);
}

/**
 * A PostgreSQL role of the test's own and a fresh schema for one host: `url` connects as
 * the role, `cutOff()` locks it out and waits until its connections are gone, `letIn()`
 * lets it back. Everything is dropped afterwards.
 */
async function withOwnRole(
  body: (
    db: {
      url: URL;
      schema: string;
      cutOff(): Promise<void>;
      letIn(): Promise<void>;
      freeze(): Promise<void>;
    },
  ) => Promise<void>,
): Promise<void> {
  const admin = postgres((pg as { url: string }).url, { max: 1, onnotice: () => {} });
  const role = freshSchema();
  const schema = freshSchema();
  await admin.unsafe(`CREATE ROLE ${role} LOGIN SUPERUSER PASSWORD '${role}'`);
  const url = new URL((pg as { url: string }).url);
  [url.username, url.password] = [role, role];
  const terminate = () =>
    admin`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = ${role}`;
  const frozen: number[] = [];
  try {
    await body({
      url,
      schema,
      cutOff: async () => {
        await admin.unsafe(`ALTER ROLE ${role} NOLOGIN`);
        await terminate();
        // pg_terminate_backend only signals: wait until the host's connections are gone.
        await until(
          async () =>
            (await admin`SELECT pid FROM pg_stat_activity WHERE usename = ${role}`).length,
          (left) => left === 0,
          "the host's connections",
        );
      },
      letIn: async () => void await admin.unsafe(`ALTER ROLE ${role} LOGIN`),
      // The server stops answering the host but keeps its connections open (a hung server,
      // or a network that drops packets): the role's backends are paused (SIGSTOP).
      freeze: async () => {
        const rows = await admin`SELECT pid FROM pg_stat_activity WHERE usename = ${role}`;
        for (const { pid } of rows) {
          Deno.kill(Number(pid), "SIGSTOP");
          frozen.push(Number(pid));
        }
      },
    });
  } finally {
    for (const pid of frozen) {
      try {
        Deno.kill(pid, "SIGCONT");
      } catch {
        // ended meanwhile
      }
    }
    await admin.unsafe(`ALTER ROLE ${role} LOGIN`);
    await dropSchema((pg as { url: string }).url, schema).catch(() => {});
    await terminate();
    await admin.unsafe(`DROP ROLE ${role}`);
    await admin.end({ timeout: 1 });
  }
}

Deno.test({
  name: name("/health fails naming the PostgreSQL store while it is unreachable, and recovers"),
  ignore: "skip" in pg,
  ...opts,
  // The host connects as a role of its own, so the test can cut it off and keep it out.
  fn: () =>
    withOwnRole(async ({ url, schema, cutOff, letIn }) => {
      const port = freePort();
      const host = await spawnHost({
        config: FAST_INMEMORY,
        args: [
          `--job-store-url=${url.href}`,
          `--job-store-schema=${schema}`,
          "--node-id=node-a",
          `--metrics-address=127.0.0.1:${port}`,
        ],
      });
      const health = async () => {
        const response = await fetch(`http://127.0.0.1:${port}/health`, {
          signal: AbortSignal.timeout(5_000),
        });
        const body = await response.json();
        return { code: response.status, status: body.status, reasons: body.reasons as string[] };
      };
      const failures = async () => {
        const signal = AbortSignal.timeout(5_000);
        const text = await (await fetch(`http://127.0.0.1:${port}/metrics`, { signal })).text();
        const lines = text.split("\n").filter((l) => l.startsWith("launchbox_job_store_failures"));
        return lines.reduce((sum, line) => sum + Number(line.split(" ").at(-1)), 0);
      };
      const submit = () =>
        host.client.request(userRequest(host.client, 2, "alice", { job: { command: "echo" } }));
      try {
        await host.client.bootstrap();
        // The host (its metrics server with it) starts once Bootstrap is answered: a first
        // submit waits for it.
        assert.equal((await submit()).messageType, 2);
        assert.deepEqual(await health(), { code: 200, status: "ok", reasons: [] });
        assert.equal(await failures(), 0);
        await cutOff();
        assert.equal((await submit()).messageType, -1, "a submit fails while the store is away");
        const down = await until(health, (h) => h.code === 503, "/health while the store is away");
        assert.equal(down.status, "failing");
        const store = `job store ${redactUrl(url.href)}`;
        assert.ok(down.reasons.some((r) => r.includes(store)), `${store} in ${down.reasons}`);
        assert.ok(await failures() >= 1, "the failures are counted");
        await letIn();
        const up = await until(health, (h) => h.code === 200, "/health once the store is back");
        assert.deepEqual(up, { code: 200, status: "ok", reasons: [] });
        assert.equal((await submit()).messageType, 2, "submits work again");
      } catch (error) {
        const exited = await Promise.race([host.status(), new Promise((r) => setTimeout(r, 1000))]);
        if (!exited) host.kill("SIGKILL");
        const tail = (await host.stderr()).slice(-4000);
        if (error instanceof Error) {
          error.message += `\nhost exit: ${JSON.stringify(exited)}\n${tail}`;
        }
        throw error;
      } finally {
        await host[Symbol.asyncDispose]();
      }
    }),
});

Deno.test({
  name: name("A host whose PostgreSQL store is unreachable still ends on SIGTERM"),
  ignore: "skip" in pg,
  ...opts,
  fn: () =>
    withOwnRole(async ({ url, schema, cutOff }) => {
      const host = await spawnHost({
        config: FAST_INMEMORY,
        args: [`--job-store-url=${url.href}`, `--job-store-schema=${schema}`, "--node-id=node-a"],
      });
      try {
        await host.client.bootstrap();
        const submitted = await host.client.request(
          userRequest(host.client, 2, "alice", { job: { command: "echo" } }),
        );
        assert.equal(submitted.messageType, 2);
        await cutOff();
        // Reconnect attempts are under way now; the host must still drain and exit.
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        host.kill("SIGTERM");
        const ended = await Promise.race([
          host.status(),
          new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 20_000)),
        ]);
        assert.ok(ended, `the host did not exit within 20 s of SIGTERM\n${await stderrOf(host)}`);
      } finally {
        await host[Symbol.asyncDispose]();
      }
    }),
});

Deno.test({
  name: name("A host whose PostgreSQL server stops answering (connections open) ends on SIGTERM"),
  ignore: "skip" in pg || Deno.uid() !== 0,
  ...opts,
  fn: () =>
    withOwnRole(async ({ url, schema, freeze }) => {
      const host = await spawnHost({
        config: FAST_INMEMORY,
        args: [
          `--job-store-url=${url.href}`,
          `--job-store-schema=${schema}`,
          "--node-id=node-a",
          "--node-lease-seconds=1.5",
        ],
      });
      try {
        await host.client.bootstrap();
        const submitted = await host.client.request(
          userRequest(host.client, 2, "alice", { job: { command: "echo" } }),
        );
        assert.equal(submitted.messageType, 2);
        await freeze();
        // Renewals, the LISTEN probe and the sweep now wait on connections that never answer.
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        host.kill("SIGTERM");
        const ended = await Promise.race([
          host.status(),
          new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 30_000)),
        ]);
        assert.ok(ended, `the host did not exit within 30 s of SIGTERM\n${await stderrOf(host)}`);
      } finally {
        await host[Symbol.asyncDispose]();
      }
    }),
});

async function stderrOf(host: { kill(signal: Deno.Signal): void; stderr(): Promise<string> }) {
  try {
    host.kill("SIGKILL");
  } catch {
    // exited meanwhile
  }
  return (await host.stderr()).slice(-3000);
}
