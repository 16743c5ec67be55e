import { FrameReader, FrameWriter } from "../framing/mod.ts";
import { type Body, decodeResponse, encodeRequest, type ResponseFrame } from "./codec.ts";

/** Every request gets an answer within this long, or fails (invalid bodies get no reply). */
export const REQUEST_TIMEOUT_MS = 30_000;

/** A reply: its body (may be an ErrorResponse for "not found") and its error slot. */
export type Reply = Pick<ResponseFrame, "body" | "error">;

/**
 * The comm socket: the supervisor's first frame (id 0) is the greeting; every later frame
 * answers a request by id. Requests may be concurrent; each has a deadline.
 */
export class CommChannel implements AsyncDisposable {
  readonly #conn: Deno.Conn;
  readonly #writer: FrameWriter;
  readonly #pending = new Map<
    number,
    { resolve(reply: Reply): void; reject(error: Error): void }
  >();
  readonly #greeting: Promise<ResponseFrame>;
  readonly #onAnomaly: (message: string) => void;
  #greet: ((frame: ResponseFrame) => void) | undefined;
  #failGreeting: ((error: Error) => void) | undefined;
  #nextId = 1;
  #closed: Error | undefined;

  constructor(conn: Deno.Conn, onAnomaly: (message: string) => void) {
    this.#conn = conn;
    this.#onAnomaly = onAnomaly;
    this.#writer = new FrameWriter(conn.writable, { maxFrameBytes: 0xffff_ffff });
    this.#greeting = new Promise((resolve, reject) => {
      this.#greet = resolve;
      this.#failGreeting = reject;
    });
    void this.#read(new FrameReader(conn.readable, { maxFrameBytes: 256 * 1024 * 1024 }));
  }

  /** The supervisor's first frame. */
  greeting(): Promise<ResponseFrame> {
    return this.#greeting;
  }

  /** Sends a request and resolves with its reply; rejects after `timeoutMs` or on close. */
  request(body: Body, timeoutMs = REQUEST_TIMEOUT_MS): Promise<Reply> {
    if (this.#closed) return Promise.reject(this.#closed);
    const id = this.#nextId++;
    const payload = encodeRequest(id, body);
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`Airflow did not answer ${body.type} within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      const settle = (done: () => void) => {
        clearTimeout(timer);
        this.#pending.delete(id);
        done();
      };
      this.#pending.set(id, {
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
      for await (const payload of reader) this.#route(decodeResponse(payload));
      this.#end(new Error("Airflow closed the comm socket"));
    } catch (error) {
      this.#end(error instanceof Error ? error : new Error(String(error)));
    }
  }

  #route(frame: ResponseFrame): void {
    if (this.#greet) {
      this.#greet(frame);
      this.#greet = undefined;
      return;
    }
    const pending = this.#pending.get(frame.id);
    if (pending) return pending.resolve({ body: frame.body, error: frame.error });
    this.#onAnomaly(`Unexpected frame from the supervisor with id ${frame.id}`);
  }

  #end(error: Error): void {
    this.#closed = error;
    this.#failGreeting?.(error);
    for (const pending of this.#pending.values()) pending.reject(error);
  }
}
