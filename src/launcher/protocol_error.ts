import { type ErrorCode, ErrorCode as Codes } from "../sdk/mod.ts";

/**
 * A request the codec could not accept. It becomes an Error response carrying `code`
 * for `requestId` (0 when the request ID itself could not be read); the session goes on.
 */
export class ProtocolError extends Error {
  override readonly name = "ProtocolError";
  readonly code: ErrorCode;
  readonly requestId: number;

  constructor(message: string, options: { code?: ErrorCode; requestId?: number } = {}) {
    super(message);
    this.code = options.code ?? Codes.InvalidRequest;
    this.requestId = options.requestId ?? 0;
  }
}
