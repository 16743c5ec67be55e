import assert from "node:assert/strict";
import postgres from "postgres";
import { PG_SCHEMA_VERSION, PostgresJobStore } from "../../src/host/job_store/postgres/mod.ts";
import { dropSchema, freshSchema, privatePostgres } from "../_support/postgres.ts";

const target = await privatePostgres();
const skip = "skip" in target ? target.skip : undefined;

function test(name: string, fn: () => Promise<void>) {
  Deno.test({
    name: `${name}${skip ? ` (skipped: ${skip})` : ""}`,
    ignore: skip !== undefined,
    fn,
  });
}

test("PostgresJobStore creates its schema once, versioned, and refuses a newer one", async () => {
  const url = (target as { url: string }).url;
  const schema = freshSchema();
  const open = () => PostgresJobStore.open({ url, schema, nodeId: "n", expiryHours: 1 });
  const sql = postgres(url, { max: 1, onnotice: () => {}, connection: { search_path: schema } });
  try {
    const [first, second] = await Promise.all([open(), open()]);
    await first.insert({ user: "alice", status: "Pending" }, { instanceKey: "k", plugin: "p" });
    await first.close();
    await second.close();
    const [row] = await sql`SELECT version FROM launchbox_schema`;
    assert.equal(row?.version, PG_SCHEMA_VERSION);
    const reopened = await open();
    assert.equal((await reopened.list("*")).length, 1, "reopening keeps the jobs");
    await reopened.close();
    await sql`UPDATE launchbox_schema SET version = 99`;
    await assert.rejects(open(), /schema version 99 is newer than supported version 1/);
  } finally {
    await sql.end({ timeout: 1 });
    await dropSchema(url, schema);
  }
});

Deno.test("PostgresJobStore.open names the URL without its password when it cannot connect", async () => {
  const error = await PostgresJobStore.open({
    url: "postgres://lb:s3cret@127.0.0.1:1/db",
    nodeId: "n",
    expiryHours: 1,
  }).then(() => undefined, (error: Error) => error);
  assert.match(
    error?.message ?? "",
    /^Cannot open job store "postgres:\/\/lb:\*\*\*@127\.0\.0\.1:1\/db":/,
  );
  assert.doesNotMatch(error?.message ?? "", /s3cret/);
});

Deno.test("PostgresJobStore.open refuses a schema name that is not a plain identifier", async () => {
  await assert.rejects(
    PostgresJobStore.open({
      url: "postgres://x@127.0.0.1:1/db",
      schema: "a; DROP",
      nodeId: "n",
      expiryHours: 1,
    }),
    /schema "a; DROP" must match/,
  );
});

test("PostgresJobStore names the action and the store when the database fails it", async () => {
  const url = (target as { url: string }).url;
  const schema = freshSchema();
  const store = await PostgresJobStore.open({ url, schema, nodeId: "n", expiryHours: 1 });
  try {
    const job = await store.insert({ user: "alice", status: "Pending" }, {
      instanceKey: "k",
      plugin: "p",
    });
    // The store's own errors pass unchanged.
    await assert.rejects(store.update(job.id, { exitCode: "x" } as never), TypeError);
    await dropSchema(url, schema);
    const where = `"${new URL(url).href.replace(/:[^:@/]+@/, ":***@")}"`;
    const failed = (action: string) =>
      new RegExp(
        `^Error: Cannot ${action} in job store ${escape(where)}: relation "jobs" does not exist`,
      );
    await assert.rejects(store.list("*"), failed("list jobs"));
    await assert.rejects(store.get(job.id), failed(`get job "1"`));
    await assert.rejects(store.update(job.id, { status: "Running" }), failed(`update job "1"`));
    await assert.rejects(store.countByStatus(), failed("count jobs"));
  } finally {
    await store.close();
    await dropSchema(url, schema);
  }
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
