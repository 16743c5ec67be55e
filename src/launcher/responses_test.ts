import assert from "node:assert/strict";
import {
  clusterInfoResponse,
  configReloadResponse,
  jobOutputComplete,
  jobOutputResponse,
  jobStatusResponse,
  resourceUtilComplete,
  resourceUtilResponse,
} from "./responses.ts";

Deno.test("clusterInfoResponse always carries the lists and flags, [] and false when absent", () => {
  assert.deepEqual(clusterInfoResponse(12, {}), {
    messageType: 8,
    requestId: 12,
    supportsContainers: false,
    config: [],
    placementConstraints: [],
    resourceLimits: [],
    allowUnknownImages: false,
    resourceProfiles: [],
    containersUseHostNetwork: false,
  });
});

Deno.test("clusterInfoResponse omits empty queues, images and defaults", () => {
  const message = clusterInfoResponse(1, {
    queues: [],
    defaultQueue: "",
    images: [],
    defaultImage: "",
  });
  for (const key of ["queues", "defaultQueue", "images", "defaultImage"]) {
    assert.equal(key in message, false, `${key} is omitted`);
  }
});

Deno.test("clusterInfoResponse passes every given field through", () => {
  const info = {
    config: [{ name: "email", valueType: "string" }],
    placementConstraints: [{ name: "zone", value: "a" }],
    queues: ["default", "gpu"],
    defaultQueue: "default",
    resourceLimits: [{ type: "memory", maxValue: "8192" }],
    images: ["r:4"],
    defaultImage: "r:4",
    allowUnknownImages: true,
    resourceProfiles: [{ name: "small" }],
    containersUseHostNetwork: true,
  };
  assert.deepEqual(clusterInfoResponse(3, info), {
    messageType: 8,
    requestId: 3,
    supportsContainers: true,
    ...info,
  });
});

Deno.test("clusterInfoResponse derives supportsContainers from images unless it is given", () => {
  assert.equal(clusterInfoResponse(1, { images: ["a"] }).supportsContainers, true);
  assert.equal(clusterInfoResponse(1, { images: [] }).supportsContainers, false);
  assert.equal(
    clusterInfoResponse(1, { images: ["a"], supportsContainers: false }).supportsContainers,
    false,
  );
  assert.equal(clusterInfoResponse(1, { supportsContainers: true }).supportsContainers, true);
});

Deno.test("jobStatusResponse omits an empty statusMessage and statusCode", () => {
  const sequences = [{ requestId: 4, seqId: 2 }];
  assert.deepEqual(
    jobStatusResponse(sequences, { id: "1", name: "n", status: "Failed", statusMessage: "" }),
    { messageType: 3, requestId: 0, sequences, id: "1", name: "n", status: "Failed" },
  );
  assert.deepEqual(
    jobStatusResponse(sequences, {
      id: "1",
      status: "Failed",
      statusMessage: "no memory",
      statusCode: "OOMKilled",
    }),
    {
      messageType: 3,
      requestId: 0,
      sequences,
      id: "1",
      name: "",
      status: "Failed",
      statusMessage: "no memory",
      statusCode: "OOMKilled",
    },
  );
});

Deno.test("resourceUtilResponse keeps finite values and drops NaN and infinities", () => {
  const message = resourceUtilResponse({ requestId: 5, seqId: 1 }, {
    cpuPercent: 15,
    cpuTime: Number.NaN,
    virtualMemory: Number.POSITIVE_INFINITY,
    residentMemory: 0,
  });
  assert.deepEqual(message, {
    messageType: 6,
    requestId: 0,
    sequences: [{ requestId: 5, seqId: 1 }],
    cpuPercent: 15,
    residentMemory: 0,
    complete: false,
  });
  assert.deepEqual(Object.keys(message).at(-1), "complete");
});

Deno.test("resourceUtilComplete and jobOutputComplete end their stream", () => {
  assert.deepEqual(resourceUtilComplete({ requestId: 5, seqId: 3 }), {
    messageType: 6,
    requestId: 0,
    sequences: [{ requestId: 5, seqId: 3 }],
    complete: true,
  });
  assert.deepEqual(jobOutputComplete(9, 4), {
    messageType: 5,
    requestId: 9,
    seqId: 4,
    complete: true,
  });
  assert.deepEqual(jobOutputResponse(9, 1, { output: "x\n", outputType: "mixed" }), {
    messageType: 5,
    requestId: 9,
    seqId: 1,
    output: "x\n",
    outputType: "mixed",
    complete: false,
  });
});

Deno.test("configReloadResponse maps success to 0 and each failing stage to its errorType", () => {
  assert.deepEqual(configReloadResponse(8, { ok: true }), {
    messageType: 202,
    requestId: 8,
    errorType: 0,
    errorMessage: "",
  });
  const stages = [["unknown", -1], ["load", 1], ["validate", 2], ["save", 3]] as const;
  for (const [stage, errorType] of stages) {
    assert.deepEqual(configReloadResponse(8, { ok: false, stage, message: `bad ${stage}` }), {
      messageType: 202,
      requestId: 8,
      errorType,
      errorMessage: `bad ${stage}`,
    });
  }
});
