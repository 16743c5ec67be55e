import { FrameError, type FrameReader, type FrameWriter } from "../framing/mod.ts";
import type { JsonLogger } from "../log/mod.ts";
import type { LauncherBackend } from "./backend.ts";
import { decodeRequest } from "./codec.ts";
import {
  answerNow,
  dispatch,
  type DispatchContext,
  type RequestObserver,
  sendError,
} from "./dispatcher.ts";
import { MetricsReporter, type MetricsReporting } from "./metrics_reporter.ts";
import { Outbox } from "./outbox.ts";
import { heartbeatResponse } from "./responses.ts";
import { StatusStreams } from "./status_streams.ts";

/** Options for {@linkcode LauncherSession}. */
export interface LauncherSessionOptions {
  /** Each frame is decoded before the next is read, so the reader may lend its payloads. */
  reader: FrameReader;
  writer: FrameWriter;
  backend: LauncherBackend;
  log: JsonLogger;
  /** Send an unsolicited heartbeat this often after Bootstrap; 0 disables. */
  heartbeatIntervalMs: number;
  /** How long shutdown waits for requests in flight before giving up on them. */
  drainTimeoutMs: number;
  /** Told how each request went (metrics). */
  observe?: RequestObserver;
  /** Told the code of every Error response sent, including for requests that never decoded. */
  onErrorSent?: (code: number) => void;
  /**
   * Called when a successful Bootstrap response has been written: start here what the
   * answer need not wait for, timers above all.
   */
  onBootstrapped?: () => void;
  /**
   * Where the frame limit is configured, for the Error that replaces a response too large
   * for one frame (default `max-message-size`).
   */
  limitSettings?: string;
  /** Plugin API 3.7 Metrics messages, sent when the Launcher announced 3.7 or later. */
  metrics?: MetricsReporting;
}

/** Why a session ended: stdin closed, a shutdown was asked for, or the channel broke. */
export type SessionEnd = "eof" | "shutdown" | "frame-error";

/**
 * One Launcher ⇄ plugin conversation on a pair of streams. Every request is handled
 * concurrently and answered when it finishes; heartbeats are answered straight from the
 * reader loop so slow plugin calls never starve them. Bad requests get Error responses
 * and the session goes on; only an oversized or truncated frame ends it.
 */
export class LauncherSession {
  readonly #options: LauncherSessionOptions;
  readonly #shutdown = new AbortController();
  readonly #abandon = new AbortController();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #ctx: DispatchContext;
  readonly #metrics: MetricsReporter | undefined;
  #heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  /** Set when the session winds down: no timer may start after that. */
  #draining = false;

  constructor(options: LauncherSessionOptions) {
    this.#options = options;
    const outbox = new Outbox(options.writer, options.log, {
      ...(options.onErrorSent ? { onErrorSent: options.onErrorSent } : {}),
      ...(options.limitSettings ? { limitSettings: options.limitSettings } : {}),
    });
    this.#metrics = options.metrics && new MetricsReporter(options.metrics, outbox, options.log);
    this.#ctx = {
      backend: options.backend,
      outbox,
      statusStreams: new StatusStreams(),
      streams: new Map(),
      log: options.log,
      signal: this.#abandon.signal,
      streamSignal: this.#shutdown.signal,
      // Timers start once the Bootstrap response is written: the first timer loads Deno's
      // timer implementation (about 8 ms) and would otherwise hold the response back.
      onBootstrapped: (launcherVersion) =>
        void options.writer.flush().then(() => {
          if (this.#draining) return;
          this.#startHeartbeats();
          this.#metrics?.start(launcherVersion);
          options.onBootstrapped?.();
        }, () => {}),
      ...(options.observe ? { observe: options.observe } : {}),
    };
  }

  /** Reads and answers requests until the input ends, `stop()` is called, or a frame breaks. */
  async run(): Promise<SessionEnd> {
    const unsubscribe = this.#options.backend.subscribeStatus((job) => {
      const fanOut = this.#ctx.statusStreams.update(job);
      if (fanOut) this.#ctx.outbox.sendJobStatus(fanOut);
    });
    try {
      return await this.#readLoop();
    } finally {
      unsubscribe();
      await this.#drain();
    }
  }

  /** Asks the session to stop reading and wind down. */
  stop(): void {
    if (this.#shutdown.signal.aborted) return;
    this.#shutdown.abort(new DOMException("Launcher session is shutting down", "AbortError"));
    void this.#options.reader.cancel();
  }

  async #readLoop(): Promise<SessionEnd> {
    const { reader, log } = this.#options;
    while (!this.#shutdown.signal.aborted) {
      let frame: Uint8Array | null;
      try {
        frame = reader.takeBuffered() ?? await reader.read();
      } catch (error) {
        if (this.#shutdown.signal.aborted) break;
        if (!(error instanceof FrameError)) throw error;
        log.error("Closing the Launcher channel after a framing error", { error: error.message });
        return "frame-error";
      }
      if (frame === null) return this.#shutdown.signal.aborted ? "shutdown" : "eof";
      this.#accept(frame);
    }
    return "shutdown";
  }

  #accept(frame: Uint8Array): void {
    let request;
    try {
      request = decodeRequest(frame);
    } catch (error) {
      const requestId = (error as { requestId?: number }).requestId ?? 0;
      return sendError(this.#ctx, requestId, error);
    }
    const { log } = this.#options;
    if (log.debugEnabled) {
      log.debug("Request received", { type: request.type, requestId: request.requestId });
    }
    if (request.type === "heartbeat") return this.#ctx.outbox.send(heartbeatResponse());
    if (answerNow(request, this.#ctx)) return;
    const task = dispatch(request, this.#ctx).finally(() => this.#inFlight.delete(task));
    this.#inFlight.add(task);
  }

  #startHeartbeats(): void {
    const interval = this.#options.heartbeatIntervalMs;
    if (interval <= 0 || this.#heartbeatTimer !== undefined) return;
    this.#heartbeatTimer = setInterval(() => this.#ctx.outbox.send(heartbeatResponse()), interval);
  }

  /** Stops streams, lets requests in flight finish (bounded), and flushes the writer. */
  async #drain(): Promise<void> {
    this.#draining = true;
    clearInterval(this.#heartbeatTimer);
    this.#metrics?.stop();
    this.#ctx.statusStreams.closeAll();
    for (const { controller } of this.#ctx.streams.values()) controller.abort();
    const settled = Promise.allSettled([...this.#inFlight]);
    const timeout = AbortSignal.timeout(this.#options.drainTimeoutMs);
    await Promise.race([settled, new Promise((done) => timeout.addEventListener("abort", done))]);
    if (!this.#shutdown.signal.aborted) this.#shutdown.abort();
    this.#abandon.abort(new DOMException("Launcher session ended", "AbortError"));
    await this.#options.writer.flush().catch(() => {});
  }
}
