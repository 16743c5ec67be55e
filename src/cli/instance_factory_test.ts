import assert from "node:assert/strict";
import { oneAtATimePer } from "./instance_factory.ts";

Deno.test("oneAtATimePer runs at most its slots at once, the rest in order, after failures too", async () => {
  const limited = oneAtATimePer(2);
  let running = 0;
  let most = 0;
  const order: number[] = [];
  const gates = Array.from({ length: 5 }, () => Promise.withResolvers<void>());
  const tasks = gates.map((gate, i) =>
    limited(async () => {
      running++;
      most = Math.max(most, running);
      order.push(i);
      await gate.promise;
      running--;
      if (i === 1) throw new Error("task 1 failed");
      return i;
    })
  );
  await Promise.resolve();
  assert.deepEqual(order, [0, 1]);
  gates[1]!.resolve();
  await assert.rejects(tasks[1]!, /task 1 failed/);
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.deepEqual(order, [0, 1, 2]);
  for (const gate of gates) gate.resolve();
  assert.deepEqual(await Promise.all([tasks[0], tasks[2], tasks[3], tasks[4]]), [0, 2, 3, 4]);
  assert.deepEqual(order, [0, 1, 2, 3, 4]);
  assert.equal(most, 2);
});
