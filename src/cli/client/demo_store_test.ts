import assert from "node:assert/strict";
import { demoStore } from "./demo_store.ts";

Deno.test("demoStore takes the password out of the URL into PGPASSWORD and shows it redacted", async () => {
  const store = await demoStore(
    "postgres://demo:p%40ss%3Aword@db.example:5433/launchbox?sslmode=verify-full",
  );
  assert.equal(store.url, "postgres://demo@db.example:5433/launchbox?sslmode=verify-full");
  assert.equal(store.env.PGPASSWORD, "p@ss:word");
  assert.equal(store.env.LAUNCHBOX_JOB_STORE_SCHEMA, store.schema);
  assert.ok(!store.shown.includes("p%40ss") && !store.shown.includes("p@ss"), store.shown);
  assert.match(store.shown, /demo:\*\*\*@db\.example:5433/);
});

Deno.test("demoStore sets no PGPASSWORD for a URL without one, and a fresh schema each time", async () => {
  const first = await demoStore("postgres://demo@127.0.0.1/launchbox");
  const second = await demoStore("postgres://demo@127.0.0.1/launchbox");
  assert.equal(first.url, "postgres://demo@127.0.0.1/launchbox");
  assert.equal("PGPASSWORD" in first.env, false);
  // The store accepts schema names of [a-z_][a-z0-9_]{0,39}; the demo's must be one.
  assert.match(first.schema, /^launchbox_demo_[0-9a-f]{12}$/);
  assert.notEqual(first.schema, second.schema);
});

Deno.test("demoStore names what is missing when scripts/postgres-up fails", async () => {
  const dir = await Deno.makeTempDir({ prefix: "launchbox-demo-store-" });
  const script = `${dir}/postgres-up`;
  await Deno.writeTextFile(
    script,
    "#!/bin/sh\necho 'postgres-up: FAILED: PostgreSQL server binaries are missing' >&2\nexit 1\n",
    { mode: 0o700 },
  );
  try {
    await assert.rejects(
      demoStore(undefined, { postgresUp: script }),
      (error: Error) => {
        assert.match(error.message, /^Cannot run the cluster demo: PostgreSQL did not start/);
        assert.match(error.message, /PostgreSQL server binaries are missing/);
        assert.match(error.message, /pass --job-store-url=postgres:\/\//);
        return true;
      },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("demoStore refuses what scripts/postgres-up printed when it is not a URL", async () => {
  const dir = await Deno.makeTempDir({ prefix: "launchbox-demo-store-" });
  const script = `${dir}/postgres-up`;
  await Deno.writeTextFile(script, "#!/bin/sh\necho 'not a url'\n", { mode: 0o700 });
  try {
    await assert.rejects(
      demoStore(undefined, { postgresUp: script }),
      /PostgreSQL did not start \(scripts\/postgres-up: it printed no postgres:\/\/ URL\)/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
