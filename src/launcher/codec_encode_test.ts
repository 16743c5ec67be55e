import assert from "node:assert/strict";
import type { Job } from "../sdk/mod.ts";
import { SequenceList, sequencePrefix } from "./_sequence_list.ts";
import { encodeJobStatus, encodeMessage } from "./codec.ts";
import { jobStatusResponse } from "./responses.ts";

const text = new TextDecoder();
const encoded = (message: Record<string, unknown>) => text.decode(encodeMessage(message));

Deno.test("encodeMessage writes a JobState as JSON.stringify would, envelope first", () => {
  const jobs = [
    Object.freeze({ id: "a", status: "Running", tags: Object.freeze(["x"]) }),
    { id: "b", name: 'quote " and \u2028' },
  ];
  const message = { messageType: 2, requestId: 7, responseId: 3, jobs };
  assert.equal(encoded(message), JSON.stringify(message));
  assert.equal(
    encoded({ ...message, jobs: [] }),
    '{"messageType":2,"requestId":7,"responseId":3,"jobs":[]}',
  );
});

Deno.test("encodeMessage encodes a changed unfrozen job anew and a new frozen version anew", () => {
  const job: Record<string, unknown> = { id: "a", status: "Pending" };
  const message = (jobs: unknown[]) => ({ messageType: 2, requestId: 1, responseId: 0, jobs });
  assert.match(encoded(message([job])), /"Pending"/);
  job.status = "Running";
  assert.match(encoded(message([job])), /"Running"/);
  const first = Object.freeze({ id: "a", status: "Running" });
  assert.match(encoded(message([first])), /"Running"/);
  const next = Object.freeze({ ...first, status: "Finished" });
  assert.match(encoded(message([next])), /"Finished"/);
  assert.match(encoded(message([first])), /"Running"/);
});

Deno.test("encodeMessage leaves other messages' jobs fields to JSON.stringify", () => {
  const message = { messageType: 4, requestId: 1, jobs: "not a list", id: "a" };
  assert.equal(encoded(message), JSON.stringify(message));
});

Deno.test("encodeJobStatus writes the bytes encodeMessage writes for the same message", () => {
  const list = new SequenceList();
  list.add(sequencePrefix(4), 1);
  list.add(sequencePrefix(12), 30);
  const sequences = [{ requestId: 4, seqId: 1 }, { requestId: 12, seqId: 30 }];
  const jobs: Job[] = [
    { id: "7", name: 'say "hi"\n', status: "Running", statusMessage: "t=1.5 ✓", statusCode: "0" },
    { id: "8", statusMessage: "", statusCode: "" },
  ];
  for (const job of jobs) {
    const fanOut = { job, sequences: list.view(), count: 2 };
    const { messageType, requestId, ...rest } = jobStatusResponse(sequences, job);
    const expected = encodeMessage({ messageType, requestId, responseId: 41, ...rest });
    assert.deepEqual(encodeJobStatus(fanOut, 41), expected);
  }
});
