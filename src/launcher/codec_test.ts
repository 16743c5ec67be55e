import assert from "node:assert/strict";
import { decodeRequest } from "./codec.ts";
import { ProtocolError } from "./protocol_error.ts";

const text = new TextEncoder();
const decode = (message: unknown) => decodeRequest(text.encode(JSON.stringify(message)));
const alice = { requestId: 7, username: "alice", requestUsername: "bob" };
const aliceJob = (jobId: string, extra: Record<string, unknown> = {}) => ({
  ...alice,
  jobId,
  encodedJobId: "enc",
  ...extra,
});

/** Asserts that decoding fails with exactly this code, request ID and message. */
function refuses(input: unknown, code: number, requestId: number, message: string | RegExp) {
  const payload = input instanceof Uint8Array ? input : text.encode(JSON.stringify(input));
  assert.throws(() => decodeRequest(payload), (error: unknown) => {
    assert.ok(error instanceof ProtocolError, `expected a ProtocolError, got ${error}`);
    assert.equal(error.name, "ProtocolError");
    assert.equal(error.code, code);
    assert.equal(error.requestId, requestId);
    if (typeof message === "string") assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  });
}

Deno.test("decodeRequest decodes Heartbeat and Bootstrap", () => {
  assert.deepEqual(decode({ messageType: 0, requestId: 0 }), { type: "heartbeat", requestId: 0 });
  assert.deepEqual(
    decode({ messageType: 1, requestId: 0, version: { major: 3, minor: 6, patch: 1 } }),
    { type: "bootstrap", requestId: 0, version: { major: 3, minor: 6, patch: 1 } },
  );
  assert.deepEqual(
    decode({ messageType: 1, requestId: 0, version: { major: 3 } }),
    { type: "bootstrap", requestId: 0, version: { major: 3, minor: 0, patch: 0 } },
    "a missing minor and patch count as 0",
  );
});

Deno.test("decodeRequest decodes SubmitJob with the job as its draft", () => {
  const job = { command: "echo", tags: ["a"] };
  assert.deepEqual(decode({ messageType: 2, ...alice, job }), { type: "submitJob", ...alice, job });
  refuses({ messageType: 2, ...alice, job: "x" }, 2, 7, /field "job" must be an object, got "x"/);
  refuses({ messageType: 2, ...alice, job: { pid: "1" } }, 2, 7, /field "job\.pid"/);
});

Deno.test("decodeRequest fills an absent requestUsername and encodedJobId with empty text", () => {
  const { requestUsername: _, ...noRequester } = alice;
  assert.deepEqual(decode({ messageType: 8, ...noRequester, jobId: "3" }), {
    type: "getJobNetwork",
    ...alice,
    requestUsername: "",
    jobId: "3",
    encodedJobId: "",
  });
});

Deno.test("decodeRequest decodes GetJob with every filter at the top level", () => {
  const request = decode({
    messageType: 3,
    ...aliceJob("*"),
    tags: ["t1", "t2"],
    statuses: ["Running", "Pending"],
    startTime: "2024-05-01T00:00:00Z",
    endTime: "2024-05-02T12:30:00.5+02:00",
    fields: ["status", "name"],
  });
  assert.deepEqual(request, {
    type: "getJob",
    ...aliceJob("*"),
    filter: {
      tags: ["t1", "t2"],
      statuses: ["Running", "Pending"],
      startTime: new Date("2024-05-01T00:00:00.000Z"),
      endTime: new Date("2024-05-02T10:30:00.500Z"),
    },
    fields: ["status", "name"],
  });
  assert.deepEqual(decode({ messageType: 3, ...aliceJob("4") }), {
    type: "getJob",
    ...aliceJob("4"),
    filter: {},
  });
});

Deno.test("decodeRequest takes a filter time without a zone as UTC and ignores empty times", () => {
  const request = decode({
    messageType: 3,
    ...aliceJob("*"),
    startTime: "2024-05-01T08:00:00",
    endTime: "",
  });
  assert.ok(request.type === "getJob");
  assert.deepEqual(request.filter, { startTime: new Date(Date.UTC(2024, 4, 1, 8)) });
});

Deno.test("decodeRequest decodes the stream requests with their cancel flag", () => {
  assert.deepEqual(decode({ messageType: 4, ...aliceJob("*"), cancel: true }), {
    type: "getJobStatus",
    ...aliceJob("*"),
    cancel: true,
  });
  assert.deepEqual(decode({ messageType: 7, ...aliceJob("2") }), {
    type: "getJobResourceUtil",
    ...aliceJob("2"),
    cancel: false,
  });
  assert.deepEqual(decode({ messageType: 6, ...aliceJob("2"), cancel: false, outputType: 1 }), {
    type: "getJobOutput",
    ...aliceJob("2"),
    cancel: false,
    outputType: "stderr",
  });
});

Deno.test("decodeRequest reads outputType as 0/1/2, as names, and as both when absent", () => {
  const cases: [unknown, string][] = [
    [0, "stdout"],
    [1, "stderr"],
    [2, "both"],
    ["stdout", "stdout"],
    ["STDERR", "stderr"],
    ["both", "both"],
    ["mixed", "both"],
    [undefined, "both"],
    [null, "both"],
  ];
  for (const [outputType, wanted] of cases) {
    const request = decode({ messageType: 6, ...aliceJob("2"), outputType });
    assert.ok(request.type === "getJobOutput");
    assert.equal(request.outputType, wanted, `outputType ${JSON.stringify(outputType)}`);
  }
});

Deno.test("decodeRequest refuses other outputType values naming the field", () => {
  for (const outputType of [3, -1, 1.5, "all", true, [0]]) {
    refuses(
      { messageType: 6, ...aliceJob("2"), outputType },
      2,
      7,
      /^Invalid request: field "outputType" must be 0, 1, 2 or "stdout", "stderr", "both", got /,
    );
  }
});

Deno.test({
  name: "decodeRequest refuses an outputType naming an Object.prototype member",
}, () => {
  for (const outputType of ["constructor", "toString", "__proto__"]) {
    refuses({ messageType: 6, ...aliceJob("2"), outputType }, 2, 7, /field "outputType"/);
  }
});

Deno.test("decodeRequest maps ControlJob operations 0 to 4 to their names", () => {
  const names = ["suspend", "resume", "stop", "kill", "cancel"];
  names.forEach((name, operation) => {
    assert.deepEqual(decode({ messageType: 5, ...aliceJob("3"), operation }), {
      type: "controlJob",
      ...aliceJob("3"),
      operation: name,
    });
  });
});

Deno.test("decodeRequest refuses an unknown ControlJob operation for its request", () => {
  for (const operation of [5, -1]) {
    refuses(
      { messageType: 5, ...aliceJob("3"), operation },
      2,
      7,
      `Invalid request: unknown control job operation (${operation}) for job 3`,
    );
  }
  refuses(
    { messageType: 5, ...aliceJob("3"), operation: "stop" },
    2,
    7,
    'Invalid request: field "operation" must be an integer, got "stop"',
  );
});

Deno.test('decodeRequest refuses "*" as the job of a ControlJob and a GetJobNetwork', () => {
  for (const messageType of [5, 8]) {
    refuses(
      { messageType, ...aliceJob("*"), operation: 2 },
      2,
      7,
      'Invalid request: field "jobId" must name one job, not "*"',
    );
  }
});

Deno.test("decodeRequest refuses an empty or missing jobId", () => {
  for (const messageType of [3, 4, 5, 6, 7, 8]) {
    refuses(
      { messageType, ...aliceJob(""), operation: 0 },
      2,
      7,
      'Invalid request: field "jobId" must not be empty',
    );
    refuses({ messageType, ...alice }, 2, 7, 'Invalid request: missing field "jobId"');
  }
});

Deno.test("decodeRequest decodes GetClusterInfo and ConfigReload as user requests", () => {
  assert.deepEqual(decode({ messageType: 9, ...alice }), { type: "getClusterInfo", ...alice });
  assert.deepEqual(decode({ messageType: 202, ...alice }), { type: "configReload", ...alice });
  for (const messageType of [2, 9, 202]) {
    refuses({ messageType, requestId: 12 }, 2, 12, 'Invalid request: missing field "username"');
  }
});

Deno.test("decodeRequest decodes SetLoadBalancerNodes, turning values into text", () => {
  const nodes = [
    { host: "a", ipv4: "10.0.0.1", port: 5559, lastSeen: "2024-05-01T00:00:00Z", status: "Online" },
    { host: "b", port: null, extra: true },
  ];
  assert.deepEqual(decode({ messageType: 201, requestId: 3, nodes }), {
    type: "setLoadBalancerNodes",
    requestId: 3,
    nodes: [
      {
        host: "a",
        ipv4: "10.0.0.1",
        port: "5559",
        lastSeen: "2024-05-01T00:00:00Z",
        status: "Online",
      },
      { host: "b" },
    ],
  });
  refuses(
    { messageType: 201, requestId: 3, nodes: [{ ipv4: "x" }] },
    2,
    3,
    'Invalid request: missing field "nodes[0].host"',
  );
  refuses(
    { messageType: 201, requestId: 3, nodes: ["a"] },
    2,
    3,
    'Invalid request: field "nodes[0]" must be an object, got "a"',
  );
  refuses({ messageType: 201, requestId: 3 }, 2, 3, /field "nodes" must be an array of objects/);
});

Deno.test("decodeRequest refuses frames that are not a JSON object with request 0", () => {
  refuses(text.encode("{not json"), 2, 0, /^Invalid request: frame is not UTF-8 JSON \(/);
  refuses(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), 2, 0, /frame is not UTF-8 JSON/);
  refuses(new Uint8Array(), 2, 0, /frame is not UTF-8 JSON/);
  for (const value of [[1, 2], "x", 3, null]) {
    refuses(value, 2, 0, "Invalid request: frame is not a JSON object");
  }
});

Deno.test("decodeRequest refuses a missing or invalid requestId, answering request 0", () => {
  refuses({ messageType: 3 }, 2, 0, 'Invalid request: missing field "requestId"');
  refuses(
    { messageType: 9, requestId: -1, username: "a" },
    2,
    0,
    'Invalid request: field "requestId" must be a non-negative integer, got number -1',
  );
  refuses({ messageType: 9, requestId: 1.5, username: "a" }, 2, 0, /got number 1\.5$/);
  refuses({ messageType: 9, requestId: "4", username: "a" }, 2, 0, /"requestId".*got "4"$/);
});

Deno.test("decodeRequest answers an unknown messageType with code 1 for its request", () => {
  refuses({ messageType: 17, requestId: 41 }, 1, 41, "Unsupported request: unknown messageType 17");
  refuses({ requestId: 41 }, 2, 41, 'Invalid request: missing field "messageType"');
  refuses({ messageType: "3", requestId: 41 }, 2, 41, /"messageType" must be an integer/);
});

Deno.test("decodeRequest refuses unknown statuses and bad times in a GetJob filter", () => {
  refuses(
    { messageType: 3, ...aliceJob("*"), statuses: ["Running", "Bogus"] },
    2,
    7,
    'Invalid request: field "statuses" must be job statuses such as "Running", got an array',
  );
  refuses(
    { messageType: 3, ...aliceJob("*"), startTime: "yesterday" },
    2,
    7,
    'Invalid request: field "startTime" must be an RFC 3339 time, got "yesterday"',
  );
  refuses({ messageType: 3, ...aliceJob("*"), endTime: 5 }, 2, 7, /"endTime" must be a string/);
  refuses({ messageType: 3, ...aliceJob("*"), fields: [1] }, 2, 7, /"fields" must be an array/);
});
