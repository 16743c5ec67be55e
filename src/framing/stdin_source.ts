import type { Socket } from "node:net";
import {
  STDIN_SOCKET_PAUSE_BYTES,
  STDIN_SOCKET_READS,
  STDIN_SOCKET_WINDOW_MS,
} from "./constants.ts";
import type { ByteSource } from "./frame_reader.ts";

/** Options for {@linkcode StdinSource}. */
export interface StdinSourceOptions {
  /** Move to the socket once this many reads happened within `windowMs`. */
  switchAfterReads?: number;
  windowMs?: number;
  /** The socket pauses while more than this is buffered (default STDIN_SOCKET_PAUSE_BYTES). */
  pauseBytes?: number;
  /** Told once reads come from the socket, or why they cannot. */
  onSwitch?: (outcome: { ok: true } | { ok: false; reason: string }) => void;
}

/**
 * This process's stdin as a {@linkcode ByteSource}, for the Launcher's requests.
 *
 * Each `Deno.stdin.read` is a trip through Deno's blocking thread pool (the descriptor
 * duplicated and closed, a thread woken and the event loop woken back): about 3 µs of CPU
 * a pipelined request. A `node:net` socket on descriptor 0 is read from the event loop's
 * epoll instead. Loading `node:net` costs 40–150 ms of the main thread and about 10 MiB,
 * so a source starts on `Deno.stdin` and moves once it is busy (`switchAfterReads` reads
 * within `windowMs`). It moves between two reads, when none is pending, so no byte is
 * lost; only when stdin is a pipe or socket of its own (not also stdout), because the
 * socket makes the descriptor non-blocking.
 */
export class StdinSource implements ByteSource {
  readonly #switchAfter: number;
  readonly #windowMs: number;
  readonly #pauseBytes: number;
  readonly #onSwitch: StdinSourceOptions["onSwitch"];
  #reads = 0;
  #windowStart = 0;
  /** Loaded once the source is busy and stdin may become a socket. */
  #net: typeof import("node:net") | undefined;
  #loading = false;
  #socket: SocketReader | undefined;
  #closed = false;

  constructor(options: StdinSourceOptions = {}) {
    this.#switchAfter = options.switchAfterReads ?? STDIN_SOCKET_READS;
    this.#windowMs = options.windowMs ?? STDIN_SOCKET_WINDOW_MS;
    this.#pauseBytes = options.pauseBytes ?? STDIN_SOCKET_PAUSE_BYTES;
    this.#onSwitch = options.onSwitch;
  }

  /** Whether reads come from the socket by now. */
  get onSocket(): boolean {
    return this.#socket !== undefined;
  }

  read(buffer: Uint8Array): Promise<number | null> {
    if (this.#socket) return this.#socket.read(buffer);
    if (this.#net && !this.#closed) {
      this.#socket = new SocketReader(
        new this.#net.Socket({ fd: 0, readable: true }),
        this.#pauseBytes,
      );
      this.#onSwitch?.({ ok: true });
      return this.#socket.read(buffer);
    }
    if (!this.#loading) this.#count();
    return Deno.stdin.read(buffer);
  }

  close(): void {
    this.#closed = true;
    if (this.#socket) this.#socket.close();
    else Deno.stdin.close();
  }

  #count(): void {
    const now = performance.now();
    if (now - this.#windowStart > this.#windowMs) {
      this.#windowStart = now;
      this.#reads = 0;
    }
    if (++this.#reads < this.#switchAfter) return;
    this.#loading = true;
    // node:fs first (the host has it loaded already): a stdin that must stay blocking
    // should not cost the load of node:net.
    import("node:fs").then(async (fs) => {
      const unfit = whyNotSocket(fs);
      if (unfit) return this.#onSwitch?.({ ok: false, reason: unfit });
      this.#net = await import("node:net");
    }).catch((error) => this.#onSwitch?.({ ok: false, reason: `cannot load node:net: ${error}` }));
  }
}

/**
 * Why descriptor 0 must stay blocking, or `undefined` when it may become a socket. (Deno
 * refuses to stat `/proc/self/fd/0` without every permission; `fstat` of the descriptor
 * works with read permission.)
 */
function whyNotSocket(fs: typeof import("node:fs")): string | undefined {
  try {
    const stdin = fs.fstatSync(0);
    if (!stdin.isFIFO() && !stdin.isSocket()) return "stdin is not a pipe or socket";
    const stdout = fs.fstatSync(1);
    if (stdin.dev === stdout.dev && stdin.ino === stdout.ino) return "stdin is also stdout";
    return undefined;
  } catch (error) {
    return `cannot stat stdin and stdout: ${error instanceof Error ? error.message : error}`;
  }
}

/** A paused-when-full queue of a socket's chunks, read like a ByteSource. */
class SocketReader {
  readonly #socket: Socket;
  readonly #pauseBytes: number;
  readonly #chunks: Uint8Array[] = [];
  #buffered = 0;
  #paused = false;
  #ended = false;
  #failure: Error | undefined;
  #wake: (() => void) | undefined;

  constructor(socket: Socket, pauseBytes: number) {
    this.#socket = socket;
    this.#pauseBytes = pauseBytes;
    socket.on("data", (chunk: Uint8Array) => {
      this.#chunks.push(chunk);
      this.#buffered += chunk.length;
      if (this.#buffered > this.#pauseBytes && !this.#paused) {
        this.#paused = true;
        socket.pause();
      }
      this.#wakeReader();
    });
    socket.on("end", () => this.#end());
    socket.on("close", () => this.#end());
    socket.on("error", (error: Error) => {
      this.#failure = error;
      this.#wakeReader();
    });
  }

  async read(buffer: Uint8Array): Promise<number | null> {
    while (this.#chunks.length === 0) {
      if (this.#failure) throw this.#failure;
      if (this.#ended) return null;
      await new Promise<void>((resolve) => this.#wake = resolve);
    }
    let filled = 0;
    while (this.#chunks.length > 0 && filled < buffer.length) {
      const chunk = this.#chunks[0]!;
      const taken = Math.min(chunk.length, buffer.length - filled);
      buffer.set(chunk.subarray(0, taken), filled);
      filled += taken;
      if (taken === chunk.length) this.#chunks.shift();
      else this.#chunks[0] = chunk.subarray(taken);
    }
    this.#buffered -= filled;
    if (this.#paused && this.#buffered <= this.#pauseBytes / 2) {
      this.#paused = false;
      this.#socket.resume();
    }
    return filled;
  }

  close(): void {
    this.#socket.destroy();
    this.#end();
  }

  #end(): void {
    this.#ended = true;
    this.#wakeReader();
  }

  #wakeReader(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
