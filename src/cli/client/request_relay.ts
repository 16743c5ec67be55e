import { ErrorCode } from "../../sdk/mod.ts";
import { RequestType, ResponseType } from "../../launcher/messages.ts";

/** A decoded protocol message, either way. */
export type RelayMessage = Record<string, unknown>;

/** Where the relay sends messages: the plugin host's stdin, or one client connection. */
export interface MessageSink {
  send(message: RelayMessage): void;
}

/** One client connection as the relay knows it (opaque to callers). */
export interface RelayConnection {
  readonly id: number;
}

interface Connection extends RelayConnection {
  readonly sink: MessageSink;
  /** The connection's open streams: its request ID → the upstream one. */
  readonly streams: Map<number, number>;
}

interface Route {
  readonly connection: Connection;
  readonly clientId: number;
  /** The request that opened a stream (to cancel it); undefined for one-reply requests. */
  readonly stream: RelayMessage | undefined;
}

const STREAM_REQUESTS: ReadonlySet<unknown> = new Set([
  RequestType.GetJobStatus,
  RequestType.GetJobOutput,
  RequestType.GetJobResourceUtil,
]);

/**
 * The Launcher side of one plugin host shared by many client connections. Every request
 * gets an upstream request ID of its own, so two clients that both number from 1 never
 * collide; replies, stream messages (including the `sequences` of multiplexed status and
 * resource streams) go back to the connection that asked, under its own IDs. Bootstrap and
 * Heartbeat are answered here: the host was bootstrapped once, when it started.
 */
export class RequestRelay {
  readonly #upstream: MessageSink;
  readonly #bootstrap: RelayMessage;
  readonly #routes = new Map<number, Route>();
  #nextUpstreamId = 1;
  #nextConnectionId = 1;

  /** `bootstrap` is the host's answer to the relay's own Bootstrap. */
  constructor(upstream: MessageSink, bootstrap: RelayMessage) {
    this.#upstream = upstream;
    this.#bootstrap = bootstrap;
  }

  /** Requests in flight and open streams (for tests and the log). */
  get openRoutes(): number {
    return this.#routes.size;
  }

  connect(sink: MessageSink): RelayConnection {
    const connection: Connection = { id: this.#nextConnectionId++, sink, streams: new Map() };
    return connection;
  }

  /** A message a client sent. */
  fromClient(handle: RelayConnection, message: RelayMessage): void {
    const connection = handle as Connection;
    const { messageType, requestId } = message;
    if (messageType === RequestType.Bootstrap) {
      return connection.sink.send({ ...this.#bootstrap, requestId: 0 });
    }
    if (messageType === RequestType.Heartbeat) {
      return connection.sink.send({
        messageType: ResponseType.Heartbeat,
        requestId: 0,
        responseId: 0,
      });
    }
    if (typeof requestId !== "number" || !Number.isSafeInteger(requestId)) {
      return connection.sink.send(
        invalid(`requestId must be an integer, got ${JSON.stringify(requestId)}`),
      );
    }
    const isStream = STREAM_REQUESTS.has(messageType);
    if (isStream && message.cancel === true) return this.#cancel(connection, requestId, message);
    const upstreamId = this.#nextUpstreamId++;
    this.#routes.set(upstreamId, {
      connection,
      clientId: requestId,
      stream: isStream ? message : undefined,
    });
    if (isStream) connection.streams.set(requestId, upstreamId);
    this.#upstream.send({ ...message, requestId: upstreamId });
  }

  /** A message the plugin host sent. */
  fromUpstream(message: RelayMessage): void {
    const { messageType } = message;
    if (messageType === ResponseType.Heartbeat || messageType === ResponseType.Metrics) return;
    if (Array.isArray(message.sequences)) return this.#fanOut(message, message.sequences);
    const route = this.#routes.get(message.requestId as number);
    if (!route) return; // its client left, or cancelled the stream
    route.connection.sink.send({ ...message, requestId: route.clientId });
    const ended = messageType === ResponseType.Error || message.complete === true;
    if (!route.stream || ended) this.#forget(message.requestId as number, route);
  }

  /** A client left: its open streams are cancelled upstream, its pending replies dropped. */
  disconnect(handle: RelayConnection): void {
    const connection = handle as Connection;
    for (const [upstreamId, route] of this.#routes) {
      if (route.connection !== connection) continue;
      this.#routes.delete(upstreamId);
      if (route.stream) {
        this.#upstream.send({ ...route.stream, requestId: upstreamId, cancel: true });
      }
    }
    connection.streams.clear();
  }

  #cancel(connection: Connection, clientId: number, message: RelayMessage): void {
    const upstreamId = connection.streams.get(clientId);
    if (upstreamId === undefined) return;
    this.#forget(upstreamId, this.#routes.get(upstreamId)!);
    this.#upstream.send({ ...message, requestId: upstreamId });
  }

  /** A multiplexed stream message: each connection gets it once, with its own sequences. */
  #fanOut(message: RelayMessage, sequences: unknown[]): void {
    const byConnection = new Map<Connection, RelayMessage[]>();
    for (const sequence of sequences as RelayMessage[]) {
      const upstreamId = sequence.requestId as number;
      const route = this.#routes.get(upstreamId);
      if (!route) continue;
      if (message.complete === true) this.#forget(upstreamId, route);
      const list = byConnection.get(route.connection) ?? [];
      list.push({ ...sequence, requestId: route.clientId });
      byConnection.set(route.connection, list);
    }
    for (const [connection, mapped] of byConnection) {
      connection.sink.send({ ...message, sequences: mapped });
    }
  }

  #forget(upstreamId: number, route: Route): void {
    this.#routes.delete(upstreamId);
    if (route.stream) route.connection.streams.delete(route.clientId);
  }
}

function invalid(reason: string): RelayMessage {
  return {
    messageType: ResponseType.Error,
    requestId: 0,
    responseId: 0,
    errorCode: ErrorCode.InvalidRequest,
    errorMessage: `Invalid request: ${reason}`,
  };
}
