import assert from "node:assert/strict";
import { Fields } from "./_fields.ts";
import { readJobDraft } from "./_job_fields.ts";
import { ProtocolError } from "./protocol_error.ts";

const read = (job: Record<string, unknown>) => readJobDraft(new Fields(job, 7, "job."));

Deno.test("readJobDraft keeps unknown fields as sent and drops the id", () => {
  const job = { id: "99", command: "echo", futureField: { x: [1] }, instanceId: "i-1" };
  assert.deepEqual(read(job), { command: "echo", futureField: { x: [1] }, instanceId: "i-1" });
});

Deno.test("readJobDraft accepts every known field with its wire type", () => {
  const job = {
    name: "n",
    user: "alice",
    queues: ["q"],
    pid: 4,
    exitCode: 0,
    args: ["-c"],
    tags: ["t"],
    metadata: { a: 1 },
    container: { image: "img", runAsUserId: 1, runAsGroupId: 2, supplementalGroupIds: [3] },
    environment: [{ name: "A", value: "1" }],
    placementConstraints: [{ name: "zone" }, { name: "rack", value: "r1" }],
    config: [{ name: "email", valueType: "string", value: "x" }],
    resourceLimits: [{ type: "memory", value: "1024" }],
    exposedPorts: [{ targetPort: 80, publishedPort: 8080, protocol: "TCP" }],
  };
  assert.deepEqual(read(job), job);
});

Deno.test("readJobDraft names the path of a mistyped field inside the job", () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ pid: "12" }, 'field "job.pid" must be an integer, got "12"'],
    [{ exitCode: 1.5 }, 'field "job.exitCode" must be an integer, got number 1.5'],
    [{ status: 3 }, 'field "job.status" must be a string, got number 3'],
    [{ command: 3 }, 'field "job.command" must be a string, got number 3'],
    [{ args: ["a", 1] }, 'field "job.args" must be an array of strings, got an array'],
    [
      { environment: [{ name: "A", value: 1 }] },
      'field "job.environment[0].value" must be a string, got number 1',
    ],
    [{ environment: [{ name: "A" }] }, 'missing field "job.environment[0].value"'],
    [{ environment: ["A=1"] }, 'field "job.environment[0]" must be an object, got "A=1"'],
    [{ container: {} }, 'missing field "job.container.image"'],
    [
      { container: { image: "i", supplementalGroupIds: ["x"] } },
      'field "job.container.supplementalGroupIds" must be an array of integers, got an array',
    ],
    [
      { exposedPorts: [{ targetPort: "80" }] },
      'field "job.exposedPorts[0].targetPort" must be an integer, got "80"',
    ],
    [{ resourceLimits: [{ value: "1" }] }, 'missing field "job.resourceLimits[0].type"'],
    [{ metadata: [] }, 'field "job.metadata" must be an object, got an array'],
    [{ mounts: {} }, 'field "job.mounts" must be an array of objects, got an object'],
  ];
  for (const [job, message] of cases) {
    assert.throws(() => read(job), (error: unknown) => {
      assert.ok(error instanceof ProtocolError);
      assert.equal(error.code, 2);
      assert.equal(error.requestId, 7);
      assert.equal(error.message, `Invalid request: ${message}`);
      return true;
    });
  }
});

Deno.test("readJobDraft ignores the submitted status, which is the host's to set", () => {
  for (const status of ["", "Running", "Done", null]) {
    assert.deepEqual(read({ command: "echo", status }), { command: "echo" });
  }
});

Deno.test("readJobDraft drops unset values of known fields and keeps unknown ones", () => {
  const job = {
    command: "",
    exe: "/bin/sh",
    host: "",
    stdin: "",
    workingDirectory: "",
    pid: null,
    container: null,
    args: [],
    mounts: [],
    future: "",
    later: null,
  };
  assert.deepEqual(read(job), { exe: "/bin/sh", args: [], mounts: [], future: "", later: null });
});

Deno.test("readJobDraft turns a C++ SDK 1.0 hostMount or nfsMount into mountSource", () => {
  const host = { mountPath: "/d", readOnly: false, hostMount: { path: "/mnt/d" } };
  const nfs = { mountPath: "/n", readOnly: true, nfsMount: { path: "/p", host: "h" } };
  assert.deepEqual(read({ mounts: [host, nfs] }).mounts, [
    { mountPath: "/d", readOnly: false, mountSource: { type: "host", source: { path: "/mnt/d" } } },
    {
      mountPath: "/n",
      readOnly: true,
      mountSource: { type: "nfs", source: { path: "/p", host: "h" } },
    },
  ]);
  assert.throws(
    () => read({ mounts: [{ mountPath: "/d", hostMount: {}, nfsMount: {} }] }),
    /"job\.mounts\[0\]\.nfsMount" must be absent when "hostMount" is set/,
  );
  assert.throws(
    () => read({ mounts: [{ mountPath: "/d", hostMount: "/mnt" }] }),
    /"job\.mounts\[0\]\.hostMount" must be an object, got "\/mnt"/,
  );
});

Deno.test("readJobDraft turns a flat mount into the nested mountSource shape", () => {
  const flat = { mountPath: "/d", readOnly: true, type: "nfs", source: { host: "h", path: "/p" } };
  const nested = {
    mountPath: "/out",
    name: "out",
    mountSource: { type: "host", source: { path: "/mnt/out" } },
  };
  assert.deepEqual(read({ mounts: [flat, nested] }).mounts, [
    {
      mountPath: "/d",
      readOnly: true,
      mountSource: { type: "nfs", source: { host: "h", path: "/p" } },
    },
    nested,
  ]);
});

Deno.test("readJobDraft refuses mounts without a source object in either shape", () => {
  const cases: [unknown, RegExp][] = [
    [
      { mountPath: "/d", type: "host" },
      /"job\.mounts\[0\]\.source" must be an object, got nothing/,
    ],
    [
      { mountPath: "/d", mountSource: { type: "host", source: "x" } },
      /"job\.mounts\[0\]\.mountSource\.source" must be an object, got "x"/,
    ],
    [
      { mountPath: "/d", mountSource: { source: {} } },
      /missing field "job\.mounts\[0\]\.mountSource\.type"/,
    ],
    [{ type: "host", source: {} }, /missing field "job\.mounts\[0\]\.mountPath"/],
    [
      { mountPath: "/d", readOnly: "yes", type: "host", source: {} },
      /"job\.mounts\[0\]\.readOnly" must be a boolean/,
    ],
  ];
  for (const [mount, message] of cases) {
    assert.throws(() => read({ mounts: [mount] }), message);
  }
});
