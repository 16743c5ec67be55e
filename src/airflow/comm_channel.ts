import { FrameReader, FrameWriter } from "../framing/mod.ts";
import { type Body, decodeResponse, encodeRequest, type ResponseFrame } from "./codec.ts";

/** Every request gets an answer within this long, or fails (invalid bodies get no reply). */
export const REQUEST_TIMEOUT_MS = 30_000;
/** The largest supervisor frame read; a bigger declared length ends the channel. */
export const MAX_REPLY_BYTES = 256 * 1024 * 1024;

/** A reply: its body (may be an ErrorResponse for "not found") and its error slot. */
export type Reply = Pick<ResponseFrame, "body" | "error">;

interface Pending {
  type: string;
  resolve(reply: Reply): void;
  reject(error: Error): void;
}

/**
 * The comm socket: the supervisor's first frame (id 0) is the greeting; every later frame
 * answers a request by id. Requests may be concurrent; each has a deadline. A frame that
 * cannot be decoded is reported and answers the oldest pending request with an error (the
 * supervisor replies in order); only a broken frame stream ends the channel.
 */
export class CommChannel implements AsyncDisposable {
  readonly #conn: Deno.Conn;
  readonly #writer: FrameWriter;
  readonly #pending = new Map<number, Pending>();
  readonly #greeting: Promise<ResponseFrame>;
  readonly #onAnomaly: (message: string) => void;
  #greet: ((frame: ResponseFrame) => void) | undefined;
  #failGreeting: ((error: Error) => void) | undefined;
  #nextId = 1;
  #closed: Error | undefined;

  constructor(conn: Deno.Conn, onAnomaly: (message: string) => void) {
    this.#conn = conn;
    this.#onAnomaly = onAnomaly;
    // The connection itself, not its Web streams: their first use loads Deno's streams
    // implementation (about 200 page faults) on every task's start.
    this.#writer = new FrameWriter(conn, { maxFrameBytes: 0xffff_ffff });
    this.#greeting = new Promise((resolve, reject) => {
      this.#greet = resolve;
      this.#failGreeting = reject;
    });
    this.#greeting.catch(() => {}); // observed by greeting(); never an unhandled rejection
    void this.#read(new FrameReader(conn, { maxFrameBytes: MAX_REPLY_BYTES }));
  }

  /** The supervisor's first frame; rejects when it cannot be read. */
  greeting(): Promise<ResponseFrame> {
    return this.#greeting;
  }

  /** Sends a request and resolves with its reply; rejects after `timeoutMs` or on close. */
  request(body: Body, timeoutMs = REQUEST_TIMEOUT_MS): Promise<Reply> {
    if (this.#closed) return Promise.reject(this.#closed);
    const id = this.#nextId++;
    const payload = encodeRequest(id, body);
    const type = String(body.type);
    return new Promise<Reply>((resolve, reject) => {
      const deadline = AbortSignal.timeout(timeoutMs);
      const onTimeout = () => {
        this.#pending.delete(id);
        reject(new Error(`Airflow did not answer ${type} within ${timeoutMs / 1000} s`));
      };
      deadline.addEventListener("abort", onTimeout, { once: true });
      const settle = (done: () => void) => {
        deadline.removeEventListener("abort", onTimeout);
        this.#pending.delete(id);
        done();
      };
      this.#pending.set(id, {
        type,
        resolve: (reply) => settle(() => resolve(reply)),
        reject: (error) => settle(() => reject(error)),
      });
      this.#writer.write(payload);
    });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.#writer.close().catch(() => {});
    try {
      this.#conn.close();
    } catch {
      // already closed
    }
  }

  async #read(reader: FrameReader): Promise<void> {
    try {
      for await (const payload of reader) this.#receive(payload);
      this.#end(new Error("Airflow closed the comm socket"));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#end(new Error(`Cannot read from the comm socket: ${message}`, { cause: error }));
    }
  }

  #receive(payload: Uint8Array): void {
    let frame: ResponseFrame;
    try {
      frame = decodeResponse(payload);
    } catch (error) {
      return this.#undecodable(error as Error);
    }
    if (this.#greet) {
      this.#greet(frame);
      this.#greet = undefined;
      return;
    }
    const pending = this.#pending.get(frame.id);
    if (pending) return pending.resolve({ body: frame.body, error: frame.error });
    this.#onAnomaly(`Unexpected frame from the supervisor with id ${frame.id}`);
  }

  #undecodable(error: Error): void {
    if (this.#greet) {
      this.#greet = undefined;
      return this.#failGreeting?.(error);
    }
    const oldest = this.#pending.values().next();
    this.#onAnomaly(
      oldest.done
        ? `${error.message} (no request was waiting)`
        : `${error.message} (taken as the reply to ${oldest.value.type})`,
    );
    oldest.value?.reject(error);
  }

  #end(error: Error): void {
    this.#closed = error;
    this.#failGreeting?.(error);
    for (const pending of this.#pending.values()) pending.reject(error);
  }
}
