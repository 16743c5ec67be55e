import assert from "node:assert/strict";
import postgres from "postgres";
import { runLaunchbox } from "../_support/host_process.ts";
import { privatePostgres } from "../_support/postgres.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const pg = await privatePostgres();
const name = (what: string) => "skip" in pg ? `${what} (skipped: ${pg.skip})` : what;

Deno.test({
  name: name("client demo --nodes 3 submits on node 1, follows on node 2 and stops from node 3"),
  ignore: "skip" in pg,
  ...opts,
  fn: async () => {
    const url = (pg as { url: string }).url;
    // The demo finds the private PostgreSQL itself (scripts/postgres-up); a URL given to the
    // tests in the environment is passed on instead.
    const given = Deno.env.get("LAUNCHBOX_TEST_PG_URL");
    const { code, stdout, stderr } = await runLaunchbox([
      "client",
      "demo",
      "--nodes",
      "3",
      ...(given ? [`--job-store-url=${given}`] : []),
    ]);
    assert.equal(code, 0, `${stdout}\n${stderr}`);
    const facts = [
      /each node's launcher\.inmemory\.conf: job-store-url=postgres:\/\/[^:@\s]+@[^\s,]+, node-id=node-N(; the password in PGPASSWORD)?\n/,
      /node-1 bootstrapped, API 3\.6\.0\n.*node-2 bootstrapped, API 3\.6\.0\n.*node-3 bootstrapped/,
      /→ SubmitJob "notebook" .* through node-1\n {2}← node-1: job (\d+) is Pending/,
      /node-2 stream: job \d+ Running/,
      /node-3: Job Stop successful \(complete: true\)/,
      /node-2 stream: job \d+ Finished \(Stopped\)/,
      /node-2's stream ended at Finished/,
      /node-1: job \d+ "notebook" Running[^\n]*\n.*node-2: job \d+ "notebook" Running[^\n]*\n.*node-3: job \d+ "notebook" Running[^\n]*\n.*the 3 answers are identical/,
      /node-3: job \d+ "notebook" Finished, exit code 143[^\n]*\n.*the 3 answers are identical/,
      /node-1: exited cleanly\n.*node-2: exited cleanly\n.*node-3: exited cleanly/,
    ];
    for (const fact of facts) assert.match(stdout, fact);
    // Only the redacted URL is printed: the password is never shown.
    const password = decodeURIComponent(new URL(given ?? url).password);
    assert.ok(password === "" || !stdout.includes(password), "the password is not printed");
    // The schema the demo made is gone.
    const schema = /schema (launchbox_demo_[0-9a-f]+) dropped/.exec(stdout)?.[1];
    assert.ok(schema, stdout);
    const sql = postgres(given ?? url, { max: 1, onnotice: () => {} });
    try {
      const rows = await sql`SELECT 1 FROM pg_namespace WHERE nspname = ${schema}`;
      assert.equal(rows.length, 0, `schema ${schema} was dropped`);
    } finally {
      await sql.end({ timeout: 1 });
    }
  },
});

Deno.test("client demo --nodes refuses a count that is not 1 or 3-9", opts, async () => {
  const { code, stderr } = await runLaunchbox(["client", "demo", "--nodes", "2"]);
  assert.equal(code, 2);
  assert.match(stderr, /Option --nodes must be 1 \(one host\) or 3-9 \(a cluster\), got "2"/);
});

Deno.test("client demo --nodes 3 names the store it could not reach", opts, async () => {
  const { code, stdout, stderr } = await runLaunchbox([
    "client",
    "demo",
    "--nodes=3",
    "--job-store-url=postgres://nobody@127.0.0.1:1/none",
  ]);
  assert.equal(code, 1, stdout);
  assert.match(
    stderr,
    /Cannot start node-1: Cannot open job store "postgres:\/\/nobody@127\.0\.0\.1:1\/none"/,
  );
  assert.doesNotMatch(
    stdout,
    /schema launchbox_demo_\w+ (not )?dropped/,
    "no host started, so no schema to drop",
  );
});
