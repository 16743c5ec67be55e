import { FrameReader, FrameWriter } from "../../framing/mod.ts";
import { decodeMessage, encodeMessage } from "../../launcher/codec.ts";
import { RequestType, ResponseType } from "../../launcher/messages.ts";
import { HOST_STDERR_TAIL_BYTES, HOST_STOP_TIMEOUT_MS } from "./constants.ts";
import { type HostConfig, pluginHostArgs } from "./host_config.ts";
import { spawnPluginHost } from "./plugin_host.ts";
import type { MessageSink, RelayMessage } from "./request_relay.ts";

/**
 * The one plugin host a background client host runs: a child in plugin mode, bootstrapped
 * once, whose stdin takes relayed requests and whose stdout `messages()` yields.
 */
export class UpstreamHost implements MessageSink, AsyncDisposable {
  readonly bootstrap: RelayMessage;
  readonly #child: Deno.ChildProcess;
  readonly #reader: FrameReader;
  readonly #writer: FrameWriter;
  readonly #stderr: StderrTail;

  private constructor(
    child: Deno.ChildProcess,
    io: { reader: FrameReader; writer: FrameWriter; stderr: StderrTail },
    bootstrap: RelayMessage,
  ) {
    this.#child = child;
    this.#reader = io.reader;
    this.#writer = io.writer;
    this.#stderr = io.stderr;
    this.bootstrap = bootstrap;
  }

  /** Starts the plugin host for `config` and bootstraps it (API 3.6). */
  static async start(config: HostConfig): Promise<UpstreamHost> {
    const child = spawnPluginHost(pluginHostArgs(config));
    const stderr = new StderrTail(child.stderr);
    const reader = new FrameReader(child.stdout);
    const writer = new FrameWriter(child.stdin);
    const version = { major: 3, minor: 6, patch: 0 };
    writer.write(encodeMessage({ messageType: RequestType.Bootstrap, requestId: 0, version }));
    const first = await reader.read().catch(() => null);
    const reply = first ? decodeMessage(first) : undefined;
    if (reply?.messageType !== ResponseType.Bootstrap) {
      await writer.close().catch(() => {});
      const status = await child.status;
      const reason = reply?.errorMessage ?? `it exited with code ${status.code}`;
      throw new Error(`Cannot start the plugin host: ${reason}\n${await stderr.text()}`);
    }
    return new UpstreamHost(child, { reader, writer, stderr }, reply);
  }

  get pid(): number {
    return this.#child.pid;
  }

  send(message: RelayMessage): void {
    this.#writer.write(encodeMessage(message));
  }

  /** What the host sends, until it closes its stdout. */
  async *messages(): AsyncIterable<RelayMessage> {
    for await (const payload of this.#reader) yield decodeMessage(payload);
  }

  /** The end of the host's stderr (complete once it has exited). */
  stderrTail(): Promise<string> {
    return this.#stderr.text();
  }

  /**
   * Stops the host as the Launcher does, by closing its stdin: it drains, stops its
   * plugins and exits. One that outlives HOST_STOP_TIMEOUT_MS is killed.
   */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.#writer.close().catch(() => {});
    const timeout = AbortSignal.timeout(HOST_STOP_TIMEOUT_MS);
    const timedOut = new Promise<void>((resolve) =>
      timeout.addEventListener("abort", () => resolve())
    );
    const exited = await Promise.race([
      this.#child.status.then(() => true),
      timedOut.then(() => false),
    ]);
    if (!exited) {
      try {
        this.#child.kill("SIGKILL");
      } catch {
        // exited meanwhile
      }
      await this.#child.status;
    }
    await this.#reader.cancel().catch(() => {});
  }
}

/** Reads a stream to its end, keeping only its last HOST_STDERR_TAIL_BYTES. */
class StderrTail {
  readonly #done: Promise<string>;

  constructor(stream: ReadableStream<Uint8Array>) {
    this.#done = (async () => {
      let tail = new Uint8Array(0);
      for await (const chunk of stream) {
        const joined = new Uint8Array(tail.length + chunk.length);
        joined.set(tail);
        joined.set(chunk, tail.length);
        tail = joined.slice(-HOST_STDERR_TAIL_BYTES);
      }
      return new TextDecoder().decode(tail).trim();
    })().catch((error) => `(stderr unreadable: ${error})`);
  }

  text(): Promise<string> {
    return this.#done;
  }
}
