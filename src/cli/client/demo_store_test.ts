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
