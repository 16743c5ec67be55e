import assert from "node:assert/strict";
import postgres from "postgres";
import { catchDriverRejections, isDriverError } from "./_driver_rejections.ts";

Deno.test("catchDriverRejections keeps the driver's stray rejections from ending the process", async () => {
  const caught: unknown[] = [];
  const stop = catchDriverRejections((error) => caught.push(error));
  try {
    const closed = Object.assign(new Error("write CONNECTION_CLOSED"), {
      code: "CONNECTION_CLOSED",
    });
    Promise.reject(closed); // nobody holds it, as in the driver
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(caught, [closed]);
  } finally {
    stop();
  }
});

Deno.test("isDriverError matches the driver's errors only", () => {
  assert.equal(isDriverError(Object.assign(new Error("x"), { code: "CONNECT_TIMEOUT" })), true);
  assert.equal(isDriverError(Object.assign(new Error("x"), { code: "ECONNREFUSED" })), true);
  const server = Object.create(postgres.PostgresError.prototype);
  assert.equal(isDriverError(server), true, "a server error the driver raised");
  assert.equal(isDriverError(new TypeError("Cannot read properties of undefined")), false);
  assert.equal(isDriverError(Object.assign(new Error("x"), { code: "ENOENT" })), false);
  assert.equal(isDriverError(undefined), false);
});
