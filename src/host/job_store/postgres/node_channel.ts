import type { Sql } from "postgres";
import type {
  Envelope,
  NodeCall,
  NodeReply,
  NodeStreamEnd,
  NodeStreamOpen,
} from "./_node_envelope.ts";
import { PayloadSigner } from "./_signer.ts";
import { StreamReceiver } from "./_stream_receiver.ts";
import { StreamSender } from "./_stream_sender.ts";
import { SHUTDOWN_QUERY_MS } from "./constants.ts";
import { within } from "./_within.ts";

export type { NodeCall, NodeReply, NodeStreamEnd, NodeStreamOpen } from "./_node_envelope.ts";

/** Options for {@linkcode NodeChannel.open}. */
export interface NodeChannelOptions {
  /** This node's name. */
  nodeId: string;
  /** The NOTIFY channel (one per schema). */
  channel: string;
  /** Carries out a call addressed to this node. */
  handle: (call: NodeCall) => Promise<NodeReply>;
  /** Opens a stream a peer asked this node to forward; the signal ends it. */
  stream?: (open: NodeStreamOpen, signal: AbortSignal) => AsyncIterable<unknown>;
  /** Whether a node holds a live lease: a forwarded stream stops when its requester is gone. */
  peerAlive?: (node: string) => Promise<boolean>;
  /** How often a stream checks that the node at its other end is still there. */
  peerCheckMs?: number;
  /** Told about malformed or forged messages. */
  onError?: (error: unknown) => void;
}

/** Options for {@linkcode NodeChannel.openStream}. */
export interface NodeStreamOptions {
  signal: AbortSignal;
  /** How long the owner may take to answer. */
  openTimeoutMs: number;
  /** Whether the owner still holds the lease it held at the open. */
  ownerAlive: () => Promise<boolean>;
  /** The error for the owner's error, or when the owner is gone or does not answer. */
  errorOf: (why: NodeStreamEnd["error"] | "gone" | "silent") => Error;
}

const PEER_CHECK_MS = 5_000;

/**
 * A small node-to-node channel over the job store's database: a call is a NOTIFY addressed
 * to the owning node, which carries it out and answers with another NOTIFY; a stream is
 * forwarded as numbered, acknowledged messages (see `StreamSender`, `StreamReceiver`).
 * Every message is signed with the cluster's key (`launchbox_secret`), since any role that
 * can connect may NOTIFY; unsigned or forged messages are dropped.
 */
export class NodeChannel implements AsyncDisposable {
  readonly #sql: Sql;
  readonly #o: NodeChannelOptions;
  readonly #signer: PayloadSigner;
  readonly #waiting = new Map<string, (reply: NodeReply) => void>();
  /** Streams this node forwards, by requester and id. */
  readonly #sending = new Map<string, StreamSender>();
  /** Streams this node reads from their owners, by id. */
  readonly #receiving = new Map<string, StreamReceiver>();
  readonly #pings = new Map<string, () => void>();
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

  /**
   * Sends this node a note through the database and resolves once LISTEN hears it back;
   * rejects when sending fails or nothing comes back within `timeoutMs`.
   */
  async ping(timeoutMs: number): Promise<void> {
    const id = crypto.randomUUID();
    const heard = new Promise<void>((resolve) => this.#pings.set(id, resolve));
    const self = this.#o.nodeId;
    try {
      await this.#send({ k: "ping", id, from: self, to: self });
      const timeout = AbortSignal.timeout(timeoutMs);
      await Promise.race([
        heard,
        new Promise<never>((_, reject) =>
          timeout.addEventListener("abort", () =>
            reject(
              new DOMException(`No notification came back within ${timeoutMs} ms`, "TimeoutError"),
            ), { once: true })
        ),
      ]);
    } finally {
      this.#pings.delete(id);
    }
  }

  /** Has node `to` forward the stream `open`, item by item, in order, each once. */
  async *openStream(
    to: string,
    open: NodeStreamOpen,
    options: NodeStreamOptions,
  ): AsyncIterable<unknown> {
    const id = crypto.randomUUID();
    const receiver = new StreamReceiver({
      ...options,
      id,
      self: this.#o.nodeId,
      owner: to,
      open,
      send: (envelope) => this.#send(envelope),
      peerCheckMs: this.#o.peerCheckMs ?? PEER_CHECK_MS,
    });
    this.#receiving.set(id, receiver);
    try {
      yield* receiver.items(options.signal);
    } finally {
      this.#receiving.delete(id);
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
    switch (envelope.k) {
      case "reply":
        return this.#waiting.get(envelope.id)?.(envelope.reply!);
      case "ping":
        return this.#pings.get(envelope.id)?.();
      case "call":
        return await this.#answer(envelope);
      case "open":
        return this.#startSending(envelope);
      case "ack":
        return this.#sending.get(`${envelope.from}/${envelope.id}`)?.ack(
          Number(envelope.n),
          typeof envelope.gap === "number" ? envelope.gap : undefined,
        );
      case "cancel":
        this.#sending.get(`${envelope.from}/${envelope.id}`)?.cancel();
        return this.#receiving.get(envelope.id)?.fail(
          new Error(`Node "${envelope.from}" ended stream ${envelope.id}`),
        );
      case "data": {
        const receiver = this.#receiving.get(envelope.id);
        if (receiver) return receiver.receive(envelope);
        // Nobody reads it here any more (a lost cancel, or this node restarted).
        return void this.#send({ ...this.#reverse(envelope), k: "cancel" }).catch(() => {});
      }
    }
  }

  async #answer(envelope: Envelope): Promise<void> {
    const reply = await this.#o.handle(envelope.call!).catch((error): NodeReply => ({
      ok: false,
      code: 0,
      message: error instanceof Error ? error.message : String(error),
    }));
    await this.#send({ ...this.#reverse(envelope), k: "reply", reply })
      .catch((error) => this.#o.onError?.(error));
  }

  #startSending(envelope: Envelope): void {
    const key = `${envelope.from}/${envelope.id}`;
    if (this.#sending.has(key)) return; // a repeated open
    const serve = this.#o.stream;
    const open = envelope.open!;
    const sender = new StreamSender({
      id: envelope.id,
      self: this.#o.nodeId,
      peer: envelope.from,
      send: (message) => this.#send(message),
      items: (signal) => serve ? serve(open, signal) : refuse(this.#o.nodeId),
      peerAlive: () => this.#o.peerAlive?.(envelope.from) ?? Promise.resolve(true),
      peerCheckMs: this.#o.peerCheckMs ?? PEER_CHECK_MS,
      onError: (error) => this.#o.onError?.(error),
    });
    this.#sending.set(key, sender);
    void sender.run().finally(() => this.#sending.delete(key));
  }

  #reverse(envelope: Envelope) {
    return { id: envelope.id, from: this.#o.nodeId, to: envelope.from };
  }

  async [Symbol.asyncDispose](): Promise<void> {
    for (const sender of this.#sending.values()) sender.cancel();
    for (const receiver of this.#receiving.values()) {
      receiver.fail(new Error(`Node "${this.#o.nodeId}" is leaving the cluster`));
    }
    const unlisten = this.#unlisten?.() ?? Promise.resolve();
    await within(unlisten, SHUTDOWN_QUERY_MS, "UNLISTEN").catch(() => {});
  }
}

// deno-lint-ignore require-yield
async function* refuse(node: string): AsyncIterable<never> {
  throw Object.assign(new Error(`Node "${node}" does not forward streams`), { code: 1 });
}
