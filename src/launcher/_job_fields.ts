import { isJobStatus, type Job, type Mount } from "../sdk/mod.ts";
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

/**
 * Reads and type-checks the job of a SubmitJob request. Known fields are checked; unknown
 * fields are kept as sent so they are echoed back unchanged. Mounts in the flat 3.0 shape
 * are turned into the nested 3.6 shape.
 */
export function readJobDraft(fields: Fields): JobDraft {
  const job: Record<string, unknown> = { ...fields.raw };
  delete job.id;
  for (const name of STRING_FIELDS) if (fields.has(name)) fields.string(name);
  for (const name of ["queues", "args", "tags"]) if (fields.has(name)) fields.stringArray(name);
  for (const name of ["pid", "exitCode"]) if (fields.has(name)) fields.integer(name);
  if (fields.has("status")) readStatus(fields);
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

function readStatus(fields: Fields): void {
  const status = fields.string("status");
  if (!isJobStatus(status)) fields.fail("status", 'a job status such as "Pending"');
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

/** Accepts `{mountPath, mountSource:{type, source}}` and the flat `{mountPath, type, source}`. */
function readMount(mount: Fields): Mount {
  const result: Record<string, unknown> = { ...mount.raw };
  mount.string("mountPath");
  mount.optionalBoolean("readOnly");
  mount.optionalString("name");
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
