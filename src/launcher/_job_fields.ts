import type { Job, Mount } from "../sdk/mod.ts";
import { type Fields, isObject } from "./_fields.ts";

/** A job as submitted: everything but the ID, which the host assigns. */
export type JobDraft = Omit<Job, "id">;

const STRING_FIELDS = [
  "cluster",
  "name",
  "user",
  "group",
  "workingDirectory",
  "host",
  "statusMessage",
  "statusCode",
  "command",
  "exe",
  "stdin",
  "stdoutFile",
  "stderrFile",
  "lastUpdateTime",
  "submissionTime",
  "resourceProfile",
  "instanceId",
] as const;

/** Fields of every Job type, nullable on the wire: `null` means unset. */
const KNOWN_FIELDS = new Set<string>([
  ...STRING_FIELDS,
  "queues",
  "args",
  "tags",
  "pid",
  "exitCode",
  "status",
  "metadata",
  "container",
  "environment",
  "placementConstraints",
  "config",
  "resourceLimits",
  "exposedPorts",
  "mounts",
]);

/**
 * Reads and type-checks the job of a SubmitJob request. Known fields are checked; unknown
 * fields are kept as sent so they are echoed back unchanged. Mounts in the flat 3.0 shape
 * are turned into the nested 3.6 shape.
 *
 * Real clients send what their structures hold, so unset values are dropped: `null` in a
 * known field, and `""` in a known string field (the C++ SDK writes `"status": ""`,
 * `"host": ""`, `"exe": ""` … for unset ones). `status` is ignored whatever it holds, as
 * long as it is a string: a new job's status is the host's and the plugin's to set.
 */
export function readJobDraft(fields: Fields): JobDraft {
  const job: Record<string, unknown> = { ...fields.raw };
  delete job.id;
  for (const name of STRING_FIELDS) if (fields.has(name)) fields.string(name);
  for (const name of ["queues", "args", "tags"]) if (fields.has(name)) fields.stringArray(name);
  for (const name of ["pid", "exitCode"]) if (fields.has(name)) fields.integer(name);
  if (fields.has("status")) fields.string("status");
  delete job.status;
  dropUnsetValues(job);
  if (fields.has("metadata")) fields.object("metadata");
  if (fields.has("container")) readContainer(fields.object("container"));
  readNamedPairs(fields, "environment", true);
  readNamedPairs(fields, "placementConstraints", false);
  readNamedPairs(fields, "config", false);
  for (const limit of fields.optionalObjectArray("resourceLimits") ?? []) readLimit(limit);
  for (const port of fields.optionalObjectArray("exposedPorts") ?? []) readPort(port);
  if (fields.has("mounts")) job.mounts = fields.objectArray("mounts").map(readMount);
  return job as JobDraft;
}

function dropUnsetValues(job: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(job)) {
    if (!KNOWN_FIELDS.has(name)) continue;
    if (value === null || (value === "" && STRING_FIELDS.includes(name as never))) {
      delete job[name];
    }
  }
}

function readContainer(container: Fields): void {
  container.string("image");
  container.optionalInteger("runAsUserId");
  container.optionalInteger("runAsGroupId");
  if (container.has("supplementalGroupIds")) {
    const groups = container.raw.supplementalGroupIds;
    if (!Array.isArray(groups) || !groups.every(Number.isSafeInteger)) {
      container.fail("supplementalGroupIds", "an array of integers");
    }
  }
}

function readNamedPairs(fields: Fields, name: string, valueRequired: boolean): void {
  for (const pair of fields.optionalObjectArray(name) ?? []) {
    pair.string("name");
    if (valueRequired) pair.string("value");
    else pair.optionalString("value");
    pair.optionalString("valueType");
  }
}

function readLimit(limit: Fields): void {
  limit.string("type");
  for (const name of ["value", "defaultValue", "maxValue"]) limit.optionalString(name);
}

function readPort(port: Fields): void {
  port.integer("targetPort");
  port.optionalInteger("publishedPort");
  port.optionalString("protocol");
}

/** The C++ SDK 1.0 mount shape: one of `hostMount: {path}` or `nfsMount: {path, host}`. */
const LEGACY_MOUNT_TYPES = { hostMount: "host", nfsMount: "nfs" } as const;

/**
 * Accepts `{mountPath, mountSource:{type, source}}`, the flat `{mountPath, type, source}`
 * and the C++ SDK 1.0 `{mountPath, hostMount:{path}}` / `{mountPath, nfsMount:{path, host}}`.
 */
function readMount(mount: Fields): Mount {
  const result: Record<string, unknown> = { ...mount.raw };
  mount.string("mountPath");
  mount.optionalBoolean("readOnly");
  mount.optionalString("name");
  const legacy = Object.entries(LEGACY_MOUNT_TYPES).filter(([key]) => mount.has(key));
  if (legacy.length > 1) mount.fail("nfsMount", 'absent when "hostMount" is set');
  if (legacy.length === 1 && !mount.has("mountSource") && !mount.has("type")) {
    const [key, type] = legacy[0]!;
    const source = mount.object(key).raw;
    delete result[key];
    result.mountSource = { type, source };
    return result as unknown as Mount;
  }
  if (mount.has("mountSource")) {
    const source = mount.object("mountSource");
    source.string("type");
    if (!isObject(source.raw.source)) source.fail("source", "an object");
    return result as unknown as Mount;
  }
  const type = mount.string("type");
  if (!isObject(mount.raw.source)) mount.fail("source", "an object");
  delete result.type;
  delete result.source;
  result.mountSource = { type, source: mount.raw.source };
  return result as unknown as Mount;
}
