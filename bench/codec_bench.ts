// Both protocol codecs: Launcher JSON requests in, responses out; Airflow msgpack frames.
import { Encoder } from "@msgpack/msgpack";
import { decodeResponse, encodeRequest } from "../src/airflow/codec.ts";
import { decodeRequest, encodeJobStatus, encodeMessage } from "../src/launcher/codec.ts";
import { StatusStreams } from "../src/launcher/status_streams.ts";
import type { Job } from "../src/sdk/mod.ts";

const getJob = new TextEncoder().encode(
  JSON.stringify({
    messageType: 3,
    requestId: 7,
    username: "alice",
    requestUsername: "alice",
    jobId: "42",
    encodedJobId: "",
  }),
);
const job: Job = {
  id: "42",
  name: "train",
  user: "alice",
  status: "Running",
  command: "python train.py",
  tags: ["ml", "gpu"],
  environment: [{ name: "SEED", value: "1" }],
  submissionTime: "2026-01-01T00:00:00.000Z",
};

Deno.bench("launcher decodeRequest(GetJob)", { group: "launcher" }, () => {
  decodeRequest(getJob);
});

Deno.bench("launcher encodeMessage(JobState with one job)", { group: "launcher" }, () => {
  encodeMessage({ messageType: 2, requestId: 7, responseId: 9, jobs: [job] });
});

// One job change announced to 1 000 open all-jobs streams: the fan-out's message per update.
const streams = new StatusStreams();
for (let id = 1; id <= 1_000; id++) streams.open(id, "alice", "*", []);

Deno.bench(
  "launcher StatusStreams.update + encodeJobStatus(JobStatus to 1 000 streams)",
  { group: "launcher" },
  () => {
    encodeJobStatus(streams.update({ ...job, user: "alice", statusMessage: "t=1" })!, 9);
  },
);

const variableReply = new Encoder().encode([4, {
  key: "greeting",
  value: "hello",
  type: "VariableResult",
}, null]);

Deno.bench("airflow encodeRequest(GetVariable)", { group: "airflow" }, () => {
  encodeRequest(4, { type: "GetVariable", key: "greeting" });
});

Deno.bench("airflow decodeResponse(VariableResult)", { group: "airflow" }, () => {
  decodeResponse(variableReply);
});
