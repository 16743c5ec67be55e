import assert from "node:assert/strict";
import { SeenSet } from "./_seen.ts";

Deno.test("SeenSet remembers its members and ignores repeats", () => {
  const seen = new SeenSet(3);
  seen.add(1);
  seen.add(1);
  seen.add(2);
  assert.ok(seen.has(1) && seen.has(2) && !seen.has(3));
  assert.deepEqual(seen.size, 2);
});

Deno.test("SeenSet forgets its oldest members past the limit, in order", () => {
  const seen = new SeenSet(3);
  for (const n of [1, 2, 3, 4, 5]) seen.add(n);
  assert.deepEqual([1, 2, 3, 4, 5].map((n) => seen.has(n)), [false, false, true, true, true]);
  seen.add(6);
  seen.add(7);
  assert.deepEqual([3, 4, 5, 6, 7].map((n) => seen.has(n)), [false, false, true, true, true]);
  assert.deepEqual(seen.size, 3);
});

Deno.test("SeenSet keeps a forgotten number addable again", () => {
  const seen = new SeenSet(2);
  for (const n of [1, 2, 3, 1]) seen.add(n);
  assert.deepEqual([1, 2, 3].map((n) => seen.has(n)), [true, false, true]);
});

Deno.test("SeenSet refuses a limit that is not a positive integer", () => {
  assert.throws(() => new SeenSet(0), /limit must be a positive integer, got 0/);
});
