import assert from "node:assert/strict";
import { LogBudget } from "./log_budget.ts";

Deno.test("LogBudget lets a burst through, drops the rest, and counts them for the next line", () => {
  let now = 0;
  const budget = new LogBudget({ burst: 3, perSecond: 10, now: () => now });
  const written = { write: true, firstDropped: false, dropped: 0 };
  assert.deepEqual([budget.take(), budget.take(), budget.take()], [written, written, written]);
  assert.deepEqual(budget.take(), { write: false, firstDropped: true, dropped: 0 });
  assert.deepEqual(budget.take(), { write: false, firstDropped: false, dropped: 0 });
  now += 100; // one line's worth at 10 a second
  assert.deepEqual(budget.take(), { write: true, firstDropped: false, dropped: 2 });
  assert.equal(budget.take().firstDropped, true, "a new run of drops is announced again");
  now += 10_000;
  const writes = [1, 2, 3, 4].map(() => budget.take().write);
  assert.deepEqual(writes, [true, true, true, false], "the bucket refills only up to the burst");
});
