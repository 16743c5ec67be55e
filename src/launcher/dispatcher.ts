import type { JsonLogger } from "../log/mod.ts";
import { ErrorCode, LAUNCHER_API_VERSION, LauncherError, type OutputChunk } from "../sdk/mod.ts";
import type { LauncherBackend } from "./backend.ts";
import type { ApiVersion, LauncherRequest, StreamRequest } from "./messages.ts";
import type { Outbox } from "./outbox.ts";
import { ProtocolError } from "./protocol_error.ts";
import * as R from "./responses.ts";
import type { StatusStreams } from "./status_streams.ts";

/** Output text longer than this is split so a frame stays far below 5 MiB even when escaped. */
export const OUTPUT_CHUNK_CHARS = 512 * 1024;

/** What the dispatcher works with: one per session. */
export interface DispatchContext {
  readonly backend: LauncherBackend;
  readonly outbox: Outbox;
  readonly statusStreams: StatusStreams;
  /** Open output and resource streams by `<type>:<requestId>`. */
  readonly streams: Map<string, { jobId: string; controller: AbortController }>;
  readonly log: JsonLogger;
  /** Aborts single-answer calls when shutdown gives up waiting for them. */
  readonly signal: AbortSignal;
  /** Aborts streams as soon as the session starts shutting down. */
  readonly streamSignal: AbortSignal;
  /** Called once a Bootstrap succeeded (starts the heartbeat timer). */
  /** Told the Launcher's API version once a Bootstrap has been answered. */
  readonly onBootstrapped: (launcherVersion: ApiVersion) => void;
  /** Told how each request went, for metrics. */
  readonly observe?: RequestObserver;
}

/** Receives the type, duration and outcome of every answered request. */
export type RequestObserver = (type: string, seconds: number, ok: boolean) => void;

/**
 * Answers a GetJob for one job at once when the backend can: no promise chain for the
 * request pipelined Launchers send most. Returns whether it answered.
 */
export function answerNow(request: LauncherRequest, ctx: DispatchContext): boolean {
  if (request.type !== "getJob" || request.jobId === "*" || !ctx.backend.getJobNow) return false;
  const started = performance.now();
  let ok = true;
  try {
    const { username, jobId, fields } = request;
    const job = ctx.backend.getJobNow(username, jobId, fields);
    if (job === undefined) return false;
    ctx.outbox.send(R.jobStateResponse(request.requestId, [job]));
  } catch (error) {
    ok = false;
    sendError(ctx, request.requestId, error);
  }
  ctx.observe?.(request.type, (performance.now() - started) / 1000, ok);
  return true;
}

/** Answers one request (Heartbeat is answered by the session's reader loop itself). */
export async function dispatch(request: LauncherRequest, ctx: DispatchContext): Promise<void> {
  const started = performance.now();
  let ok = true;
  try {
    await handle(request, ctx);
  } catch (error) {
    ok = false;
    sendError(ctx, request.requestId, error);
  } finally {
    ctx.observe?.(request.type, (performance.now() - started) / 1000, ok);
  }
}

async function handle(request: LauncherRequest, ctx: DispatchContext): Promise<void> {
  const { backend, outbox, signal } = ctx;
  switch (request.type) {
    case "heartbeat":
      return outbox.send(R.heartbeatResponse());
    case "bootstrap":
      return await bootstrap(request, ctx);
    case "submitJob": {
      const job = await backend.submitJob(request.username, request.job, signal);
      return outbox.send(R.jobStateResponse(request.requestId, [job]));
    }
    case "getJob": {
      const { username, jobId, filter, fields } = request;
      const jobs = jobId === "*"
        ? await backend.getJobs(username, filter, fields)
        : [await backend.getJob(username, jobId, fields)];
      return outbox.send(R.jobStateResponse(request.requestId, jobs));
    }
    case "getJobStatus":
      return await openStatusStream(request, ctx);
    case "controlJob": {
      const { username, jobId, operation } = request;
      const result = await backend.controlJob(username, jobId, operation, signal);
      return outbox.send(R.controlJobResponse(request.requestId, result));
    }
    case "getJobOutput":
    case "getJobResourceUtil":
      return await runStream(request, ctx);
    case "getJobNetwork": {
      const network = await backend.jobNetwork(request.username, request.jobId, signal);
      return outbox.send(R.jobNetworkResponse(request.requestId, network));
    }
    case "getClusterInfo": {
      const info = await backend.clusterInfo(request.username, signal);
      return outbox.send(R.clusterInfoResponse(request.requestId, info));
    }
    case "setLoadBalancerNodes":
      await backend.setLoadBalancerNodes(request.nodes, signal);
      return outbox.send(R.setLoadBalancerNodesResponse(request.requestId));
    case "configReload": {
      const outcome = await backend.reloadConfig(signal);
      return outbox.send(R.configReloadResponse(request.requestId, outcome));
    }
  }
}

async function bootstrap(
  request: Extract<LauncherRequest, { type: "bootstrap" }>,
  ctx: DispatchContext,
): Promise<void> {
  const ours = LAUNCHER_API_VERSION;
  const theirs = request.version;
  if (theirs.major !== ours.major) {
    throw new LauncherError(
      ErrorCode.UnsupportedVersion,
      `The plugin supports API version ${ours.major}.${ours.minor}.${ours.patch}. ` +
        `The Launcher's API version is ${theirs.major}.${theirs.minor}.${theirs.patch}`,
    );
  }
  await ctx.backend.bootstrap(ctx.signal);
  ctx.outbox.send(R.bootstrapResponse(request.requestId, ours));
  ctx.onBootstrapped(theirs);
}

async function openStatusStream(
  request: Extract<LauncherRequest, { type: "getJobStatus" }>,
  ctx: DispatchContext,
): Promise<void> {
  const { requestId, jobId, username } = request;
  if (request.cancel) {
    if (!ctx.statusStreams.close(requestId, jobId)) {
      ctx.log.debug("Cancel for a status stream that is not open", { requestId, jobId });
    }
    return;
  }
  if (ctx.statusStreams.has(requestId)) {
    ctx.log.debug("Ignoring a second open of an open status stream", { requestId });
    return;
  }
  // Changes that arrive while the snapshot is read are held, then sent after it (StatusStreams).
  ctx.statusStreams.reserve(requestId, username, jobId);
  let jobs;
  try {
    jobs = jobId === "*"
      ? await ctx.backend.getJobs(username, {})
      : [await ctx.backend.getJob(username, jobId)];
  } catch (error) {
    ctx.statusStreams.close(requestId);
    throw error;
  }
  for (const message of ctx.statusStreams.open(requestId, username, jobId, jobs)) {
    ctx.outbox.send(message);
  }
}

type PumpedStream = Extract<StreamRequest, { type: "getJobOutput" | "getJobResourceUtil" }>;

async function runStream(request: PumpedStream, ctx: DispatchContext): Promise<void> {
  const key = `${request.type}:${request.requestId}`;
  const open = ctx.streams.get(key);
  if (request.cancel) {
    if (open && open.jobId === request.jobId) open.controller.abort();
    else ctx.log.debug("Cancel for a stream that is not open", { key, jobId: request.jobId });
    return;
  }
  if (open) return ctx.log.debug("Ignoring a second open of an open stream", { key });
  const controller = new AbortController();
  ctx.streams.set(key, { jobId: request.jobId, controller });
  const signal = AbortSignal.any([controller.signal, ctx.streamSignal]);
  try {
    if (request.type === "getJobOutput") await pumpOutput(request, ctx, signal);
    else await pumpResources(request, ctx, signal);
  } catch (error) {
    if (!signal.aborted) sendError(ctx, request.requestId, error);
  } finally {
    ctx.streams.delete(key);
  }
}

async function pumpOutput(
  request: Extract<StreamRequest, { type: "getJobOutput" }>,
  ctx: DispatchContext,
  signal: AbortSignal,
): Promise<void> {
  const { requestId, username, jobId, outputType } = request;
  let seqId = 0;
  for await (const chunk of ctx.backend.jobOutput(username, jobId, outputType, signal)) {
    if (signal.aborted) return;
    for (const piece of splitOutput(chunk)) {
      ctx.outbox.send(R.jobOutputResponse(requestId, ++seqId, piece));
    }
    await ctx.outbox.whenWritable();
  }
  if (!signal.aborted) ctx.outbox.send(R.jobOutputComplete(requestId, ++seqId));
}

async function pumpResources(
  request: Extract<StreamRequest, { type: "getJobResourceUtil" }>,
  ctx: DispatchContext,
  signal: AbortSignal,
): Promise<void> {
  const { requestId, username, jobId } = request;
  let seqId = 0;
  for await (const sample of ctx.backend.jobResourceUtil(username, jobId, signal)) {
    if (signal.aborted) return;
    ctx.outbox.send(R.resourceUtilResponse({ requestId, seqId: ++seqId }, sample));
    await ctx.outbox.whenWritable();
  }
  if (!signal.aborted) ctx.outbox.send(R.resourceUtilComplete({ requestId, seqId: ++seqId }));
}

function* splitOutput(chunk: OutputChunk): Iterable<OutputChunk> {
  const { output, outputType } = chunk;
  if (output.length <= OUTPUT_CHUNK_CHARS) return yield chunk;
  for (let start = 0; start < output.length; start += OUTPUT_CHUNK_CHARS) {
    yield { output: output.slice(start, start + OUTPUT_CHUNK_CHARS), outputType };
  }
}

/** Turns any failure into an Error response; stacks go to the log, never to the wire. */
export function sendError(ctx: DispatchContext, requestId: number, error: unknown): void {
  const { code, message } = describeFailure(error);
  if (code === ErrorCode.Unknown) {
    ctx.log.warn("Request failed", { requestId, error });
  } else {
    ctx.log.debug("Request refused", { requestId, code, message });
  }
  ctx.outbox.send(R.errorResponse(requestId, code, message));
}

function describeFailure(error: unknown): { code: number; message: string } {
  if (error instanceof LauncherError || error instanceof ProtocolError) {
    return { code: error.code, message: error.message };
  }
  if (error instanceof DOMException && error.name === "TimeoutError") {
    return { code: ErrorCode.Timeout, message: error.message };
  }
  return {
    code: ErrorCode.Unknown,
    message: error instanceof Error ? error.message : String(error),
  };
}
