import assert from "node:assert/strict";
import { errorCodeName } from "./error_code_name.ts";

Deno.test("errorCodeName names every protocol error code and marks others", () => {
  assert.equal(errorCodeName(0), "Unknown");
  assert.equal(errorCodeName(2), "InvalidRequest");
  assert.equal(errorCodeName(10), "UnsupportedVersion");
  assert.equal(errorCodeName(42), "Code42");
});
