import assert from "node:assert/strict";
import { ManualClock } from "./manual_clock.ts";

Deno.test("ManualClock wakes sleeps in due order, each at its own time", async () => {
  const clock = new ManualClock(new Date(1_000));
  const woke: string[] = [];
  clock.sleep(30).then(() => woke.push(`b@${clock.now().getTime()}`));
  clock.sleep(10).then(() => woke.push(`a@${clock.now().getTime()}`));
  clock.sleep(31).then(() => woke.push("late"));
  await clock.advance(30);
  assert.deepEqual(woke, ["a@1010", "b@1030"]);
  assert.equal(clock.pendingSleeps, 1);
  assert.equal(clock.now().getTime(), 1_030);
});

Deno.test("ManualClock runs sleeps chained inside one advance", async () => {
  const clock = new ManualClock();
  let ticks = 0;
  (async () => {
    for (let i = 0; i < 5; i++) {
      await clock.sleep(100);
      ticks++;
    }
  })();
  await clock.advance(350);
  assert.equal(ticks, 3);
  await clock.advance(150);
  assert.equal(ticks, 5);
});

Deno.test("ManualClock rejects an aborted sleep with the signal's reason and never wakes it", async () => {
  const clock = new ManualClock();
  const controller = new AbortController();
  const sleeping = clock.sleep(10, controller.signal);
  controller.abort(new Error("stopped"));
  await assert.rejects(sleeping, /stopped/);
  assert.equal(clock.pendingSleeps, 0);
  await assert.rejects(clock.sleep(10, controller.signal), /stopped/);
});

Deno.test("ManualClock refuses to move backwards", async () => {
  await assert.rejects(new ManualClock().advance(-1), RangeError);
});
