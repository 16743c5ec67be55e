import assert from "node:assert/strict";
import { SequenceList, sequencePrefix } from "./_sequence_list.ts";

const text = (list: SequenceList) => new TextDecoder().decode(list.view());

Deno.test("SequenceList writes the entries JSON.stringify would, comma-separated", () => {
  const list = new SequenceList();
  const entries = [[0, 1], [7, 9], [12, 10], [99, 1234567], [3, Number.MAX_SAFE_INTEGER]];
  for (const [requestId, seqId] of entries) list.add(sequencePrefix(requestId!), seqId!);
  const expected = entries.map(([requestId, seqId]) => JSON.stringify({ requestId, seqId }));
  assert.equal(text(list), expected.join(","));
  assert.equal(list.count, entries.length);
});

Deno.test("SequenceList.clear starts a new list in the same buffer", () => {
  const list = new SequenceList();
  list.add(sequencePrefix(1), 5);
  list.clear();
  assert.equal(list.count, 0);
  assert.equal(text(list), "");
  list.add(sequencePrefix(2), 6);
  assert.equal(text(list), '{"requestId":2,"seqId":6}');
});

Deno.test("SequenceList grows past its first buffer and keeps what it wrote", () => {
  const list = new SequenceList();
  const expected: string[] = [];
  for (let id = 0; id < 5_000; id++) {
    list.add(sequencePrefix(id), id + 1);
    expected.push(JSON.stringify({ requestId: id, seqId: id + 1 }));
  }
  assert.equal(list.count, 5_000);
  assert.deepEqual(JSON.parse(`[${text(list)}]`), expected.map((e) => JSON.parse(e)));
});

Deno.test("sequencePrefix refuses a requestId that is not a non-negative integer", () => {
  assert.throws(() => sequencePrefix(-1), RangeError);
  assert.throws(() => sequencePrefix(1.5), /Cannot list stream 1.5: not a non-negative integer/);
});
