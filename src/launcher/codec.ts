import { ErrorCode, isJobStatus, type JobFilter, type OutputRequest } from "../sdk/mod.ts";
import { Fields, isObject } from "./_fields.ts";
import { readJobDraft } from "./_job_fields.ts";
import {
  type JobStatusFanOut,
  type LauncherRequest,
  OPERATIONS,
  RequestType,
  ResponseType,
} from "./messages.ts";
import { ProtocolError } from "./protocol_error.ts";
import { jobStatusFields } from "./responses.ts";

const decoder = new TextDecoder("utf-8", { fatal: true });
const encoder = new TextEncoder();

/**
 * Decodes one request frame: envelope first (`messageType`, `requestId`), then the
 * fields of that type. Throws `ProtocolError` naming what was wrong.
 */
export function decodeRequest(payload: Uint8Array): LauncherRequest {
  const envelope = parseEnvelope(payload);
  const requestId = envelope.id("requestId");
  const messageType = envelope.integer("messageType");
  switch (messageType) {
    case RequestType.Heartbeat:
      return { type: "heartbeat", requestId };
    case RequestType.Bootstrap:
      return { type: "bootstrap", requestId, version: readVersion(envelope.object("version")) };
    case RequestType.SubmitJob:
      return { type: "submitJob", ...user(envelope), job: readJobDraft(envelope.object("job")) };
    case RequestType.GetJob:
      return readGetJob(envelope);
    case RequestType.GetJobStatus:
      return { type: "getJobStatus", ...job(envelope), cancel: cancelOf(envelope) };
    case RequestType.ControlJob:
      return { type: "controlJob", ...job(envelope, false), operation: readOperation(envelope) };
    case RequestType.GetJobOutput:
      return readGetOutput(envelope);
    case RequestType.GetJobResourceUtil:
      return { type: "getJobResourceUtil", ...job(envelope), cancel: cancelOf(envelope) };
    case RequestType.GetJobNetwork:
      return { type: "getJobNetwork", ...job(envelope, false) };
    case RequestType.GetClusterInfo:
      return { type: "getClusterInfo", ...user(envelope) };
    case RequestType.SetLoadBalancerNodes:
      return { type: "setLoadBalancerNodes", requestId, nodes: readNodes(envelope) };
    case RequestType.ConfigReload:
      return { type: "configReload", ...user(envelope) };
  }
  throw new ProtocolError(`Unsupported request: unknown messageType ${messageType}`, {
    code: ErrorCode.RequestNotSupported,
    requestId,
  });
}

/**
 * Encodes one outgoing message (response or request) as a UTF-8 JSON frame payload. A
 * JobState's `jobs` go last, each frozen job as the text it was first encoded to.
 */
export function encodeMessage(message: Record<string, unknown>): Uint8Array {
  return encoder.encode(encodeMessageText(message));
}

/** The JSON text {@linkcode encodeMessage} encodes, for a writer that encodes it in place. */
export function encodeMessageText(message: Record<string, unknown>): string {
  const jobs = message.jobs;
  if (message.messageType !== ResponseType.JobState || !Array.isArray(jobs)) {
    return JSON.stringify(message);
  }
  const { jobs: _, ...envelope } = message;
  let text = JSON.stringify(envelope).slice(0, -1) + ',"jobs":[';
  for (let i = 0; i < jobs.length; i++) text += (i === 0 ? "" : ",") + jobText(jobs[i]);
  return text + "]}";
}

/**
 * Encodes the JobStatus message of one job change, as {@linkcode encodeMessage} would encode
 * `jobStatusResponse` stamped with `responseId`, around `fanOut.sequences`, which are
 * already bytes: only the envelope and the job's few fields are encoded here.
 */
export function encodeJobStatus(fanOut: JobStatusFanOut, responseId: number): Uint8Array {
  const head = encoder.encode(
    `{"messageType":${ResponseType.JobStatus},"requestId":0,"responseId":${responseId},` +
      `"sequences":[`,
  );
  const tail = encoder.encode("]," + JSON.stringify(jobStatusFields(fanOut.job)).slice(1));
  const { sequences } = fanOut;
  const payload = new Uint8Array(head.length + sequences.length + tail.length);
  payload.set(head);
  payload.set(sequences, head.length);
  payload.set(tail, head.length + sequences.length);
  return payload;
}

/**
 * JSON text of frozen jobs (the store's cached versions are deep-frozen, and a new version
 * is a new object): GetJob reads the same versions over and over and encodes each once.
 */
const frozenJobText = new WeakMap<object, string>();

function jobText(job: unknown): string {
  if (typeof job !== "object" || job === null || !Object.isFrozen(job)) {
    return JSON.stringify(job);
  }
  let text = frozenJobText.get(job);
  if (text === undefined) {
    text = JSON.stringify(job);
    frozenJobText.set(job, text);
  }
  return text;
}

/** Decodes a message sent by the other side (used by Launcher-side clients and tests). */
export function decodeMessage(payload: Uint8Array): Record<string, unknown> {
  const value: unknown = JSON.parse(decoder.decode(payload));
  if (!isObject(value)) throw new SyntaxError("Cannot decode message: not a JSON object");
  return value;
}

function parseEnvelope(payload: Uint8Array): Fields {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(payload));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ProtocolError(`Invalid request: frame is not UTF-8 JSON (${reason})`);
  }
  if (!isObject(value)) throw new ProtocolError("Invalid request: frame is not a JSON object");
  const requestId = value.requestId;
  const id = Number.isSafeInteger(requestId) && (requestId as number) >= 0
    ? requestId as number
    : 0;
  return new Fields(value, id);
}

function readVersion(version: Fields) {
  return {
    major: version.integer("major"),
    minor: version.optionalInteger("minor") ?? 0,
    patch: version.optionalInteger("patch") ?? 0,
  };
}

function user(envelope: Fields) {
  return {
    requestId: envelope.id("requestId"),
    username: envelope.string("username"),
    requestUsername: envelope.optionalString("requestUsername") ?? "",
  };
}

function job(envelope: Fields, wildcardAllowed = true) {
  const jobId = envelope.string("jobId");
  if (jobId === "" || (!wildcardAllowed && jobId === "*")) {
    const what = jobId === "" ? "must not be empty" : 'must name one job, not "*"';
    throw new ProtocolError(`Invalid request: field "jobId" ${what}`, {
      requestId: envelope.id("requestId"),
    });
  }
  return { ...user(envelope), jobId, encodedJobId: envelope.optionalString("encodedJobId") ?? "" };
}

function cancelOf(envelope: Fields): boolean {
  return envelope.optionalBoolean("cancel") ?? false;
}

function readGetJob(envelope: Fields): LauncherRequest {
  const filter: JobFilter = {};
  const tags = envelope.optionalStringArray("tags");
  if (tags) filter.tags = tags;
  const statuses = envelope.optionalStringArray("statuses");
  if (statuses) {
    const invalid = statuses.filter((status) => !isJobStatus(status));
    if (invalid.length > 0) envelope.fail("statuses", 'job statuses such as "Running"');
    filter.statuses = statuses as JobFilter["statuses"] & string[];
  }
  const startTime = readTime(envelope, "startTime");
  if (startTime) filter.startTime = startTime;
  const endTime = readTime(envelope, "endTime");
  if (endTime) filter.endTime = endTime;
  const fields = envelope.optionalStringArray("fields");
  return { type: "getJob", ...job(envelope), filter, ...(fields ? { fields } : {}) };
}

/** RFC 3339 time; a string without a zone is taken as UTC. */
function readTime(envelope: Fields, name: string): Date | undefined {
  const text = envelope.optionalString(name);
  if (text === undefined || text === "") return undefined;
  const zoned = /(Z|[+-]\d{1,2}(:?\d{2})?)$/i.test(text) ? text : `${text}Z`;
  const time = new Date(zoned);
  if (Number.isNaN(time.getTime())) envelope.fail(name, "an RFC 3339 time");
  return time;
}

function readOperation(envelope: Fields) {
  const value = envelope.integer("operation");
  const operation = OPERATIONS[value];
  if (operation === undefined) {
    throw new ProtocolError(
      `Invalid request: unknown control job operation (${value}) for job ${envelope.raw.jobId}`,
      { requestId: envelope.id("requestId") },
    );
  }
  return operation;
}

const OUTPUT_BY_NUMBER: readonly OutputRequest[] = ["stdout", "stderr", "both"];
const OUTPUT_BY_NAME: Record<string, OutputRequest> = {
  stdout: "stdout",
  stderr: "stderr",
  both: "both",
  mixed: "both",
};

function readGetOutput(envelope: Fields): LauncherRequest {
  const raw = envelope.raw.outputType;
  let outputType: OutputRequest | undefined = "both";
  if (typeof raw === "number") outputType = OUTPUT_BY_NUMBER[raw];
  else if (typeof raw === "string") {
    const name = raw.toLowerCase();
    outputType = Object.hasOwn(OUTPUT_BY_NAME, name) ? OUTPUT_BY_NAME[name] : undefined;
  } else if (raw !== undefined && raw !== null) outputType = undefined;
  if (outputType === undefined) {
    envelope.fail("outputType", '0, 1, 2 or "stdout", "stderr", "both"');
  }
  return { type: "getJobOutput", ...job(envelope), cancel: cancelOf(envelope), outputType };
}

function readNodes(envelope: Fields) {
  return envelope.objectArray("nodes").map((node) => {
    const host = node.string("host");
    const entry: {
      host: string;
      ipv4?: string;
      port?: string;
      lastSeen?: string;
      status?: string;
    } = { host };
    for (const name of ["ipv4", "port", "lastSeen", "status"] as const) {
      const value = node.raw[name];
      if (value !== undefined && value !== null) entry[name] = String(value);
    }
    return entry;
  });
}
