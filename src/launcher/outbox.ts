import { type FrameWriter, WRITE_HIGH_WATER_BYTES } from "../framing/mod.ts";
import type { JsonLogger } from "../log/mod.ts";
import { ErrorCode } from "../sdk/mod.ts";
import { encodeJobStatus, encodeMessageText } from "./codec.ts";
import { type JobStatusFanOut, ResponseType } from "./messages.ts";
import { errorResponse, type Response } from "./responses.ts";

/**
 * Stamps response IDs and hands responses to the one frame writer. Response IDs count
 * from 0 for every response but Heartbeat, Error and Metrics, which carry 0. A response too large
 * for one frame is replaced by an Error for its request, naming the settings to raise
 * (`limitSettings`), instead of ending the channel.
 */
export class Outbox {
  readonly #writer: FrameWriter;
  readonly #log: JsonLogger;
  readonly #onErrorSent: ((code: number) => void) | undefined;
  /** Where the frame limit is set, named in the refusal of an oversize response. */
  readonly #limitSettings: string;
  #nextResponseId = 0;
  #sent = 0;

  /** `onErrorSent` hears the code of every Error response written, whatever its cause. */
  constructor(
    writer: FrameWriter,
    log: JsonLogger,
    options: { onErrorSent?: (code: number) => void; limitSettings?: string } = {},
  ) {
    this.#writer = writer;
    this.#log = log;
    this.#onErrorSent = options.onErrorSent;
    this.#limitSettings = options.limitSettings ?? "max-message-size";
  }

  /** How many responses were sent so far. */
  get sent(): number {
    return this.#sent;
  }

  /** Whether the channel can still carry frames. */
  get open(): boolean {
    return this.#writer.failure === undefined;
  }

  /**
   * Resolves once the frames queued for the Launcher are under
   * {@linkcode WRITE_HIGH_WATER_BYTES}: streams await it so a Launcher reading slowly
   * slows the plugin instead of growing the host.
   */
  whenWritable(): Promise<void> {
    return this.#writer.whenBelow(WRITE_HIGH_WATER_BYTES);
  }

  send(response: Response): void {
    if (!this.open) return;
    const counted = response.messageType !== ResponseType.Heartbeat &&
      response.messageType !== ResponseType.Error &&
      response.messageType !== ResponseType.Metrics;
    const stamped = { ...response, responseId: counted ? this.#nextResponseId++ : 0 };
    const text = encodeMessageText(reorder(stamped));
    // UTF-8 takes at most 3 bytes per UTF-16 unit: a short text cannot exceed the limit and
    // is encoded straight into the writer's buffer.
    const worst = text.length * 3;
    if (worst <= IN_PLACE_BYTES && worst <= this.#writer.maxFrameBytes) {
      this.#writer.writeWith(worst, (target) => encoder.encodeInto(text, target).written);
    } else {
      const payload = encoder.encode(text);
      if (payload.length > this.#writer.maxFrameBytes) {
        return this.#sendOversize(response, payload);
      }
      this.#writer.write(payload);
    }
    this.#sent += 1;
    if (response.messageType === ResponseType.Error) {
      this.#onErrorSent?.(Number(response.errorCode));
    }
  }

  /** Sends the JobStatus message of one job change (see `StatusStreams.update`). */
  sendJobStatus(fanOut: JobStatusFanOut): void {
    if (!this.open) return;
    const payload = encodeJobStatus(fanOut, this.#nextResponseId++);
    if (payload.length > this.#writer.maxFrameBytes) {
      return this.#sendOversize({ messageType: ResponseType.JobStatus, requestId: 0 }, payload);
    }
    this.#writer.write(payload);
    this.#sent += 1;
  }

  #sendOversize(response: Response, payload: Uint8Array): void {
    if (response.messageType === ResponseType.Error) {
      this.#log.error("Cannot send an error response: it exceeds the frame limit", {
        requestId: response.requestId,
        bytes: payload.length,
      });
      return;
    }
    // One response per request and no continuation marker in JobState: the Launcher takes
    // the first answer as the whole one, so splitting is no way out (docs/architecture.md).
    const message =
      `Cannot send response: ${payload.length} bytes exceed the ${this.#writer.maxFrameBytes}` +
      ` byte message limit; raise ${this.#limitSettings} to at least ${payload.length},` +
      ` or narrow the request with filters or fields`;
    this.#log.warn("Response too large for one frame", {
      requestId: response.requestId,
      messageType: response.messageType,
      bytes: payload.length,
    });
    this.send(errorResponse(response.requestId, ErrorCode.Unknown, message));
  }
}

/** Responses whose UTF-8 may be up to this long are encoded in place (no array each). */
const IN_PLACE_BYTES = 16 * 1024;

const encoder = new TextEncoder();

/** Puts the envelope first, as the SDKs write it, so logs and captures read naturally. */
function reorder(message: Response & { responseId: number }): Record<string, unknown> {
  const { messageType, requestId, responseId, ...rest } = message;
  return { messageType, requestId, responseId, ...rest };
}
