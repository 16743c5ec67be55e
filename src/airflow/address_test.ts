import assert from "node:assert/strict";
import { parseAddress } from "./address.ts";

Deno.test("parseAddress splits on the last colon and unwraps IPv6 brackets", () => {
  assert.deepEqual(parseAddress("--comm", "127.0.0.1:40351"), {
    hostname: "127.0.0.1",
    port: 40351,
  });
  assert.deepEqual(parseAddress("--logs", "[::1]:8080"), { hostname: "::1", port: 8080 });
});

Deno.test("parseAddress refuses values without a valid port, naming the flag", () => {
  for (const value of ["nonsense", ":80", "127.0.0.1:0", "127.0.0.1:70000", "127.0.0.1:x"]) {
    assert.throws(
      () => parseAddress("--logs", value),
      new RegExp(`--logs=${value}: expected HOST:PORT`),
    );
  }
});
