import { FrameReader, FrameWriter } from "../framing/mod.ts";
import { ErrorCode, type JobsHandle, LauncherError, type Logger } from "../sdk/mod.ts";
import { AsyncQueue } from "./_async_queue.ts";
import { describeRunnerEnd, runnerLostError } from "./_runner_end.ts";
import { RunnerJobsServer } from "./_runner_jobs_server.ts";
import { readRunnerMessages } from "./_runner_messages.ts";
import { killRunnerGroup, spawnRunner } from "./_runner_spawn.ts";
import { encodeRpcBatch } from "./codec.ts";
import { describeCrash } from "./crash_report.ts";
import {
  RUNNER_START_TIMEOUT_MS,
  RUNNER_STOP_GRACE_MS,
  RUNNER_STREAM_MAX_QUEUED_BYTES,
} from "./constants.ts";
import { PluginLog, type PluginLogCounters } from "./plugin_log.ts";
import { MessageBatch } from "./message_batch.ts";
import type { HostMessage, PluginMethod, RunnerInit, RunnerMessage } from "./rpc.ts";
import { rebuildError } from "./rebuild_error.ts";
import type { RunnerCommand } from "./runner_command.ts";
import { splitPayload } from "./rpc_parts.ts";

/** Options for {@linkcode RemotePlugin.start}. */
export interface RemotePluginOptions {
  init: RunnerInit;
  command: RunnerCommand;
  /** A runner already started with `command` (from a `RunnerPool`), used instead of a new one. */
  child?: Deno.ChildProcess;
  /** Serves the plugin's `ctx.jobs` calls. */
  jobs: JobsHandle;
  /** Receives the runner's log lines and stderr, tagged with `plugin` and `instance`. */
  log: Logger;
  /** Counts log lines dropped and bytes cut (see {@linkcode PluginLog}). */
  logCounters?: PluginLogCounters;
  startTimeoutMs?: number;
  stopGraceMs?: number;
}

type Pending = { resolve(value: unknown): void; reject(error: unknown): void };

/**
 * The host's handle on one runner process: calls travel as frames over the runner's
 * stdin/stdout, replies and stream items come back, and the plugin's `ctx.jobs` calls are
 * served from the host. When the runner dies, every call in flight fails with
 * PluginRestarted naming the plugin and how the runner ended.
 */
export class RemotePlugin implements AsyncDisposable {
  /**
   * Settles with how the runner ended: `exit code 1`, `signal SIGKILL`, or, when plugin
   * code threw outside every call, `crashed: NotCapable: … (at /plugins/x/mod.ts:3:9)`.
   */
  readonly exited: Promise<string>;
  /** The plugin methods the instance implements. */
  methods: ReadonlySet<PluginMethod> = new Set();
  readonly #o: RemotePluginOptions;
  readonly #log: Logger;
  readonly #pluginLog: PluginLog;
  readonly #child: Deno.ChildProcess;
  readonly #writer: FrameWriter;
  readonly #jobsServer: RunnerJobsServer;
  readonly #pending = new Map<number, Pending>();
  readonly #streams = new Map<number, AsyncQueue<unknown>>();
  /** Messages to the runner, one frame per burst (see {@linkcode MessageBatch}). */
  readonly #outgoing = new MessageBatch<HostMessage>((messages) => this.#write(messages));
  #ready: Pending | undefined;
  #loaded = false;
  #nextId = 1;
  #ended: string | undefined;
  #lost: LauncherError | undefined;
  /** Why the runner's stdout stopped being frames, when it did. */
  #broken: string | undefined;
  /** The crash the runner reported (see {@linkcode describeCrash}), when it did. */
  #crash: string | undefined;

  private constructor(options: RemotePluginOptions) {
    this.#o = options;
    const { pluginName: plugin, instanceKey: instance } = options.init;
    this.#log = options.log.with({ plugin, instance });
    const counters = options.logCounters;
    this.#pluginLog = new PluginLog(this.#log, plugin, counters ? { counters } : {});
    this.#jobsServer = new RunnerJobsServer(options.jobs, plugin);
    this.#child = options.child ?? spawnRunner(options.command, options.init.instanceDir);
    this.#writer = new FrameWriter(this.#child.stdin);
    const framesRead = this.#readFrames(new FrameReader(this.#child.stdout));
    void this.#pluginLog.readStderr(this.#child.stderr).catch(() => {});
    // Frames the runner wrote before exiting (a "fatal" with the reason) are read first; a
    // child holding the pipe open cannot delay this by more than a second.
    // However the runner ended, what is left of its process group goes with it.
    const status = this.#child.status.finally(() => this.#kill());
    const drained = Promise.race([
      framesRead,
      status.then(() => new Promise((r) => setTimeout(r, 1_000))),
    ]);
    this.exited = Promise.all([status, drained]).then(([ended]) => this.#onExit(ended));
  }

  /** Spawns a runner and resolves once its plugin is loaded; a failed load rejects with why. */
  static async start(options: RemotePluginOptions): Promise<RemotePlugin> {
    const runner = new RemotePlugin(options);
    const ready = new Promise((resolve, reject) => runner.#ready = { resolve, reject });
    runner.#send({ t: "init", init: options.init }, { now: true });
    const timeoutMs = options.startTimeoutMs ?? RUNNER_START_TIMEOUT_MS;
    const late = () => runner.#ready?.reject(new Error(`did not load within ${timeoutMs} ms`));
    const deadline = AbortSignal.timeout(timeoutMs);
    deadline.addEventListener("abort", late, { once: true });
    try {
      await ready;
      return runner;
    } catch (error) {
      runner.#kill();
      await runner.exited;
      throw new Error(
        `Plugin "${options.init.pluginName}" could not start: ${(error as Error).message}`,
      );
    } finally {
      deadline.removeEventListener("abort", late);
    }
  }

  /** The runner's process id (its process group leader). */
  get pid(): number {
    return this.#child.pid;
  }

  /** Calls a plugin method that answers once. */
  call(
    method: PluginMethod,
    args: unknown[],
    signal: AbortSignal,
    user?: string,
  ): Promise<unknown> {
    if (this.#lost) return Promise.reject(this.#lost);
    const id = this.#nextId++;
    const reply = new Promise((resolve, reject) => this.#pending.set(id, { resolve, reject }));
    this.#send({ t: "call", id, method, args, ...(user === undefined ? {} : { user }) });
    const forget = this.#cancelOnAbort(
      id,
      signal,
      () => this.#pending.get(id)?.reject(signal.reason),
    );
    return reply.finally(() => {
      forget();
      this.#pending.delete(id);
    });
  }

  /** Calls a streaming plugin method; stopping the iteration cancels it in the runner. */
  async *stream(
    method: PluginMethod,
    args: unknown[],
    signal: AbortSignal,
  ): AsyncIterable<unknown> {
    if (this.#lost) throw this.#lost;
    const id = this.#nextId++;
    const queue = new AsyncQueue<unknown>();
    this.#streams.set(id, queue);
    this.#send({ t: "call", id, method, args });
    const forget = this.#cancelOnAbort(id, signal, () => queue.close());
    try {
      // Each item taken lets the Worker send one more (RUNNER_STREAM_WINDOW_ITEMS ahead).
      for await (const item of queue) {
        yield item;
        if (!this.#ended && this.#streams.has(id)) this.#send({ t: "more", id, n: 1 });
      }
    } finally {
      forget();
      if (this.#streams.delete(id) && !this.#ended) this.#send({ t: "cancel", id });
    }
  }

  /** Resolves when the plugin's event loop answers within `timeoutMs`. */
  ping(timeoutMs: number): Promise<void> {
    if (this.#lost) return Promise.reject(this.#lost);
    const id = this.#nextId++;
    const pong = new Promise((resolve, reject) => this.#pending.set(id, { resolve, reject }));
    this.#send({ t: "ping", id });
    const timeout = AbortSignal.timeout(timeoutMs);
    const forget = this.#cancelOnAbort(
      id,
      timeout,
      () => this.#pending.get(id)?.reject(new Error(`no pong within ${timeoutMs} ms`)),
    );
    return pong.then(() => {}).finally(() => {
      forget();
      this.#pending.delete(id);
    });
  }

  /** Stops the runner with the grace period from the options (see {@linkcode stop}). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  /**
   * Asks the plugin to close and waits up to `graceMs` for the runner to exit, then kills
   * what is left of its process group. Resolves once the runner has exited.
   */
  async stop(graceMs = this.#o.stopGraceMs ?? RUNNER_STOP_GRACE_MS): Promise<void> {
    if (!this.#ended) {
      this.#send({ t: "stop" }, { now: true });
      const grace = AbortSignal.timeout(graceMs);
      const graceOver = new Promise<void>((resolve) =>
        grace.addEventListener("abort", () => resolve())
      );
      await Promise.race([this.exited, graceOver]);
    }
    this.#kill();
    await this.exited;
  }

  /** Queues a message for this burst's frame; `now` writes the burst at once. */
  #send(message: HostMessage, { now = false } = {}): void {
    if (this.#ended) return;
    this.#outgoing.push(message);
    if (now) this.#outgoing.flush();
  }

  #write(messages: HostMessage[]): void {
    if (this.#ended) return;
    let payload: Uint8Array;
    try {
      payload = encodeRpcBatch(messages);
    } catch (error) {
      // One message JSON cannot carry must not cost the others theirs.
      if (messages.length > 1) return messages.forEach((message) => this.#write([message]));
      return this.#log.warn("Cannot write to the runner", { error: (error as Error).message });
    }
    try {
      // A payload longer than one part (jobs handed to `recover`) goes as several frames.
      for (const frame of splitPayload(payload)) this.#writer.write(frame);
    } catch (error) {
      this.#log.warn("Cannot write to the runner", { error: (error as Error).message });
    }
  }

  /**
   * Cancels call `id` in the runner when `signal` aborts. Returns what to call once the call
   * has settled: it removes the listener, so a long-lived signal neither keeps one listener
   * per finished call nor sends cancels for them when it aborts at last.
   */
  #cancelOnAbort(id: number, signal: AbortSignal, settle: () => void): () => void {
    const onAbort = () => {
      this.#send({ t: "cancel", id });
      settle();
    };
    if (signal.aborted) {
      onAbort();
      return () => {};
    }
    signal.addEventListener("abort", onAbort, { once: true });
    return () => signal.removeEventListener("abort", onAbort);
  }

  async #readFrames(reader: FrameReader): Promise<void> {
    try {
      for await (const { message, bytes } of readRunnerMessages(reader, this.#log)) {
        this.#receive(message, bytes);
      }
    } catch (error) {
      this.#broken = (error as Error).message;
      this.#log.error("The runner broke its channel; stopping it", { error: this.#broken });
      this.#kill();
    }
  }

  #receive(message: RunnerMessage, bytes: number): void {
    switch (message.t) {
      case "ready":
        if (this.#loaded) return; // a forged frame
        this.#loaded = true;
        this.methods = new Set(message.methods);
        return this.#ready?.resolve(undefined);
      case "fatal":
        this.#log.error(message.error.message);
        return this.#ready?.reject(rebuildError(message.error));
      case "crashed":
        if (this.#crash !== undefined) return;
        this.#crash = describeCrash(message);
        this.#log.error("Plugin crashed: it threw outside every call", { error: this.#crash });
        return this.#ready?.reject(new Error(`crashed while loading: ${this.#crash}`));
      case "result":
      case "pong":
        return this.#pending.get(message.id)?.resolve(
          "value" in message ? message.value : undefined,
        );
      case "error":
        return this.#pending.get(message.id)?.reject(rebuildError(message.error)) ??
          this.#streams.get(message.id)?.fail(rebuildError(message.error));
      case "item":
        return this.#pushItem(message.id, message.value, bytes);
      case "end":
        return this.#streams.get(message.id)?.close();
      case "jobs":
        return void this.#jobsServer.serve(message).then((reply) => this.#send(reply));
      case "log":
        return this.#pluginLog.line(message.level, message.msg, message.fields, message.cut);
      case "stopped":
        return; // the runner exits next; `exited` reports it
    }
  }

  /** Queues a stream item; a stream whose reader is too far behind is failed and cancelled. */
  #pushItem(id: number, value: unknown, bytes: number): void {
    const queue = this.#streams.get(id);
    if (!queue) return;
    if (queue.weight + bytes <= RUNNER_STREAM_MAX_QUEUED_BYTES) return queue.push(value, bytes);
    const { pluginName } = this.#o.init;
    const message = `Plugin "${pluginName}" streamed more than ` +
      `${RUNNER_STREAM_MAX_QUEUED_BYTES} bytes ahead of its reader; the stream was stopped`;
    this.#log.warn(message);
    this.#streams.delete(id);
    this.#send({ t: "cancel", id });
    queue.abort(new LauncherError(ErrorCode.Unknown, message));
  }

  #onExit(status: Deno.CommandStatus): string {
    const { pluginName, instanceKey } = this.#o.init;
    const end = { pluginName, instanceKey, status, crash: this.#crash, broken: this.#broken };
    this.#ended = describeRunnerEnd(end);
    const lost = this.#lost = runnerLostError(end);
    for (const pending of this.#pending.values()) pending.reject(lost);
    for (const stream of this.#streams.values()) stream.fail(lost);
    this.#ready?.reject(new Error(`runner ended (${this.#ended})`));
    this.#pending.clear();
    this.#streams.clear();
    return this.#ended;
  }

  /** SIGKILL to the runner's whole process group (it leads one). */
  #kill(): void {
    killRunnerGroup(this.#child.pid);
  }
}
