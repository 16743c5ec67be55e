import assert from "node:assert/strict";
import postgres from "postgres";

const ROOT = new URL("../../", import.meta.url).pathname;

async function whySkip(): Promise<string | undefined> {
  if (Deno.uid() !== 0) return "the scripts' root path (server as the postgres account) needs root";
  const versions = [...Deno.readDirSync("/usr/lib/postgresql")].map((entry) => entry.name);
  const found = versions.some((v) => {
    try {
      return Deno.statSync(`/usr/lib/postgresql/${v}/bin/initdb`).isFile;
    } catch {
      return false;
    }
  });
  // This test does not install packages: scripts/postgres-up (make postgres) does.
  return found ? undefined : "no PostgreSQL server binaries under /usr/lib/postgresql";
}

const skip = await whySkip().catch(() => "no PostgreSQL server binaries under /usr/lib/postgresql");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a copied script with a PATH that has nothing on it, as from a bare environment, from
 * `cwd` (a directory the server's account may not be able to enter).
 */
async function run(script: string, args: string[] = [], cwd = "/"): Promise<Run> {
  const output = await new Deno.Command("/bin/bash", {
    args: [script, ...args],
    cwd,
    env: { PATH: "/nonexistent" },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(200_000),
  }).output();
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: text(output.stdout), stderr: text(output.stderr) };
}

async function systemClusters(): Promise<string> {
  const output = await new Deno.Command("pg_lsclusters", { stdout: "piped", stderr: "null" })
    .output().catch(() => undefined);
  return output ? new TextDecoder().decode(output.stdout) : "";
}

async function serverSettings(url: string) {
  const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    const [row] = await sql`SELECT current_setting('listen_addresses') AS listen,
      current_setting('data_directory') AS data, current_user AS role`;
    return row!;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

Deno.test({
  name: `scripts/postgres-up starts a private cluster from a 0700 checkout, run from any ` +
    `directory, idempotently, and postgres-down stops only it${skip ? ` (skipped: ${skip})` : ""}`,
  ignore: skip !== undefined,
  async fn() {
    const parent = await Deno.makeTempDir({ prefix: "launchbox-pg-scripts-" });
    await Deno.chmod(parent, 0o700);
    await Deno.mkdir(`${parent}/checkout/scripts/lib`, { recursive: true });
    for (const name of ["postgres-up", "postgres-down", "lib/ports.sh"]) {
      await Deno.copyFile(`${ROOT}scripts/${name}`, `${parent}/checkout/scripts/${name}`);
    }
    const up = `${parent}/checkout/scripts/postgres-up`;
    const down = `${parent}/checkout/scripts/postgres-down`;
    const clustersBefore = await systemClusters();
    try {
      const first = await run(up, [], `${parent}/checkout`);
      assert.equal(first.code, 0, first.stderr);
      const url = first.stdout.trim();
      assert.match(url, /^postgres:\/\/launchbox:[0-9a-f]{48}@127\.0\.0\.1:\d+\/launchbox$/);
      const settings = await serverSettings(url);
      assert.equal(settings.listen, "127.0.0.1");
      assert.match(settings.data, /^\/var\/tmp\/launchbox-postgres\.[^/]+\/data$/);
      assert.equal(settings.role, "launchbox");
      const recorded = (await Deno.readTextFile(`${parent}/checkout/.tools/postgres/cluster`))
        .trim();
      assert.equal(`${recorded}/data`, settings.data);
      assert.equal((await Deno.stat(recorded)).mode! & 0o777, 0o700);

      const again = await run(up);
      assert.deepEqual([again.code, again.stdout.trim()], [0, url], "a running cluster is reused");

      const stopped = await run(down, [], parent);
      assert.equal(stopped.code, 0, stopped.stderr);
      assert.match(stopped.stderr, /stopped the private cluster/);
      await assert.rejects(serverSettings(url));
      assert.equal(await systemClusters(), clustersBefore, "system clusters are untouched");

      const purged = await run(down, ["--purge"], `${parent}/checkout/.tools`);
      assert.equal(purged.code, 0, purged.stderr);
      await assert.rejects(Deno.stat(recorded), Deno.errors.NotFound);
    } finally {
      await run(down, ["--purge"]);
      await Deno.remove(parent, { recursive: true });
    }
  },
});

Deno.test("scripts/postgres-down refuses an argument it does not know", async () => {
  const result = await run(`${ROOT}scripts/postgres-down`, ["--all"]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /unknown argument "--all" \(expected nothing or --purge\)/);
});
