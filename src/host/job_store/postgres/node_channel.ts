import type { Sql } from "postgres";
import { PayloadSigner } from "./_signer.ts";

/** A request one node asks the node that owns a job to carry out. */
export interface NodeCall {
  job: string;
  op: string;
  user: string;
}

/** The owner's answer: a result, or the error it raised (code and message). */
export type NodeReply =
  | { ok: true; result: unknown }
  | { ok: false; code: number; message: string };

/** Options for {@linkcode NodeChannel.open}. */
export interface NodeChannelOptions {
  /** This node's name. */
  nodeId: string;
  /** The NOTIFY channel (one per schema). */
  channel: string;
  /** Carries out a call addressed to this node. */
  handle: (call: NodeCall) => Promise<NodeReply>;
  /** Told about malformed or forged messages. */
  onError?: (error: unknown) => void;
}

interface Envelope {
  k: "call" | "reply";
  id: string;
  from: string;
  to: string;
  call?: NodeCall;
  reply?: NodeReply;
}

/**
 * A small node-to-node request channel over the job store's database: a call is a NOTIFY
 * addressed to the owning node, which carries it out and answers with another NOTIFY.
 * Both are signed with the cluster's key (`launchbox_secret`), since any role that can
 * connect may NOTIFY; unsigned or forged messages are dropped.
 */
export class NodeChannel implements AsyncDisposable {
  readonly #sql: Sql;
  readonly #o: NodeChannelOptions;
  readonly #signer: PayloadSigner;
  readonly #waiting = new Map<string, (reply: NodeReply) => void>();
  #unlisten: (() => Promise<void>) | undefined;

  private constructor(sql: Sql, options: NodeChannelOptions, signer: PayloadSigner) {
    this.#sql = sql;
    this.#o = options;
    this.#signer = signer;
  }

  /** Starts listening for calls and replies addressed to this node. */
  static async open(sql: Sql, options: NodeChannelOptions): Promise<NodeChannel> {
    const channel = new NodeChannel(sql, options, await PayloadSigner.load(sql));
    const { unlisten } = await sql.listen(options.channel, (text) => void channel.#receive(text));
    channel.#unlisten = unlisten;
    return channel;
  }

  /** Asks node `to` to carry out `call`; rejects after `timeoutMs` without an answer. */
  async call(to: string, call: NodeCall, timeoutMs: number): Promise<NodeReply> {
    const id = crypto.randomUUID();
    const answered = new Promise<NodeReply>((resolve) => this.#waiting.set(id, resolve));
    try {
      await this.#send({ k: "call", id, from: this.#o.nodeId, to, call });
      const timeout = AbortSignal.timeout(timeoutMs);
      const timedOut = new Promise<never>((_, reject) =>
        timeout.addEventListener("abort", () =>
          reject(
            new DOMException(
              `Node "${to}" did not answer ${call.op} of job ${call.job} within ${timeoutMs} ms`,
              "TimeoutError",
            ),
          ), { once: true })
      );
      return await Promise.race([answered, timedOut]);
    } finally {
      this.#waiting.delete(id);
    }
  }

  async #send(envelope: Envelope): Promise<void> {
    const body = JSON.stringify(envelope);
    const payload = JSON.stringify({ b: body, m: await this.#signer.sign(body) });
    await this.#sql`SELECT pg_notify(${this.#o.channel}, ${payload})`;
  }

  async #receive(text: string): Promise<void> {
    let envelope: Envelope;
    try {
      const { b, m } = JSON.parse(text) as { b: string; m: string };
      if (typeof b !== "string" || typeof m !== "string" || !await this.#signer.verify(b, m)) {
        throw new Error("Dropped a node message without a valid signature");
      }
      envelope = JSON.parse(b);
    } catch (error) {
      return this.#o.onError?.(error);
    }
    if (envelope.to !== this.#o.nodeId) return;
    if (envelope.k === "reply") return this.#waiting.get(envelope.id)?.(envelope.reply!);
    const reply = await this.#o.handle(envelope.call!).catch((error): NodeReply => ({
      ok: false,
      code: 0,
      message: error instanceof Error ? error.message : String(error),
    }));
    await this.#send({
      k: "reply",
      id: envelope.id,
      from: this.#o.nodeId,
      to: envelope.from,
      reply,
    })
      .catch((error) => this.#o.onError?.(error));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.#unlisten?.().catch(() => {});
  }
}
