import assert from "node:assert/strict";
import { isStoreFailure, StoreHealth } from "./store_health.ts";

Deno.test("StoreHealth keeps each kind's last failure until that kind works again", () => {
  const health = new StoreHealth();
  const counted: string[] = [];
  health.onFailure((kind) => counted.push(kind));
  assert.deepEqual(health.failures, []);
  health.failed("query", "Cannot update job 3 in job store pg: connection closed");
  health.failed(
    "listen",
    "The change feed of job store pg does not hear this node's notifications",
  );
  assert.equal(health.failures.length, 2);
  health.heard();
  assert.deepEqual(health.failures, ["Cannot update job 3 in job store pg: connection closed"]);
  health.failed("renew", "Cannot renew the lease");
  health.committed();
  assert.deepEqual(health.failures, [], "a commit shows queries and renewals work again");
  assert.deepEqual(counted, ["query", "listen", "renew"]);
});

Deno.test("isStoreFailure tells a store fault from a refused request", () => {
  assert.equal(isStoreFailure(Object.assign(new Error("x"), { code: "CONNECTION_CLOSED" })), true);
  assert.equal(isStoreFailure(Object.assign(new Error("x"), { code: "57P01" })), true, "shutdown");
  assert.equal(isStoreFailure(Object.assign(new Error("x"), { code: "53100" })), true, "disk full");
  assert.equal(isStoreFailure(new Error("socket hang up")), true);
  assert.equal(isStoreFailure(Object.assign(new Error("x"), { code: "23505" })), false, "unique");
  assert.equal(isStoreFailure(Object.assign(new Error("x"), { code: "22P02" })), false, "bad data");
});
