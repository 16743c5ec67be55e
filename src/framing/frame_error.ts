/** Why a frame channel failed: the kind lets callers log or react without parsing text. */
export type FrameErrorKind = "oversize" | "truncated" | "closed";

/** A framing failure that ends the channel (oversized or truncated frame, closed writer). */
export class FrameError extends Error {
  override readonly name = "FrameError";
  readonly kind: FrameErrorKind;

  constructor(kind: FrameErrorKind, message: string, options?: ErrorOptions) {
    super(message, options);
    this.kind = kind;
  }
}
