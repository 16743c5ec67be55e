import assert from "node:assert/strict";
import { accountNameProblem } from "./account_name.ts";

Deno.test("accountNameProblem refuses names that are not account names, and allows the usual ones", () => {
  for (const name of ["alice", "bob.smith", "svc-build", "_apt", "alice@example.com", "host$"]) {
    assert.equal(accountNameProblem(name), undefined, name);
  }
  const refused: [string, RegExp][] = [
    ["0", /is all digits, which would read as a uid/],
    ["1000", /is all digits/],
    ["", /is empty/],
    ["-x", /starts with "-"/],
    ["a:b", /holds a character not allowed in account names/],
    ["a/b", /holds a character/],
    ["a b", /holds a character/],
    ["a\nb", /holds a character/],
  ];
  for (const [name, pattern] of refused) {
    assert.match(accountNameProblem(name) ?? "", pattern, name);
  }
});
