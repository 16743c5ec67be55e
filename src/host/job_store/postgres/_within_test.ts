import assert from "node:assert/strict";
import { within } from "./_within.ts";

Deno.test("within passes on what settles in time, value or error", async () => {
  assert.equal(await within(Promise.resolve(7), 1_000, "reading"), 7);
  await assert.rejects(within(Promise.reject(new RangeError("bad")), 1_000, "reading"), RangeError);
});

Deno.test("within gives up on work that never settles, naming it", async () => {
  const never = new Promise<void>(() => {});
  await assert.rejects(within(never, 20, "UNLISTEN"), (error: DOMException) => {
    assert.equal(error.name, "TimeoutError");
    assert.equal(error.message, "UNLISTEN did not finish within 20 ms");
    return true;
  });
});
