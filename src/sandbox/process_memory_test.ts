import assert from "node:assert/strict";
import { residentBytes } from "./process_memory.ts";

Deno.test("residentBytes sums what ps reports for live processes and ignores gone ones", async () => {
  const own = await residentBytes([Deno.pid]);
  assert.ok(own > 10 * 1024 * 1024, `this process: ${own} bytes`);
  const withGone = await residentBytes([Deno.pid, 2 ** 22 + 12345]);
  assert.ok(Math.abs(withGone - own) < own / 2, `${own} vs ${withGone}`);
});
