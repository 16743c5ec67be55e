import assert from "node:assert/strict";
import { restartDelayMs } from "./backoff.ts";

const middle = () => 0.5;

Deno.test("restartDelayMs doubles from 1 s and stops at 30 s", () => {
  const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((attempt) => restartDelayMs(attempt, middle));
  assert.deepEqual(delays, [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
});

Deno.test("restartDelayMs jitters by at most 20 % either way", () => {
  assert.equal(restartDelayMs(1, () => 0), 800);
  assert.equal(restartDelayMs(1, () => 0.999999), 1200);
  assert.equal(restartDelayMs(20, () => 0), 24000);
});
