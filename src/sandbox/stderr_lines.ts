import { PLUGIN_LOG_MAX_LINE_BYTES } from "./constants.ts";

const NEWLINE = 0x0a;

/** Room for the `… [cut N bytes]` marker after a line cut at the limit. */
export const CUT_MARKER_ROOM = 40;

/**
 * Splits a byte stream into lines while holding at most `maxLineBytes` of the line in
 * progress: the rest of a longer line is counted, not kept, and the line ends with
 * `… [cut N bytes]`. A cut may split a UTF-8 character (it then decodes as U+FFFD).
 */
export class StderrLines {
  readonly #max: number;
  readonly #buffer: Uint8Array;
  readonly #decoder = new TextDecoder();
  #length = 0;
  #cut = 0;
  /** Bytes dropped from cut lines since this splitter was made. */
  cutBytes = 0;

  constructor(maxLineBytes = PLUGIN_LOG_MAX_LINE_BYTES) {
    this.#max = maxLineBytes;
    this.#buffer = new Uint8Array(maxLineBytes);
  }

  /** The lines that `chunk` completes. */
  push(chunk: Uint8Array): string[] {
    const lines: string[] = [];
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(NEWLINE, start);
      const end = newline === -1 ? chunk.length : newline;
      this.#keep(chunk.subarray(start, end));
      if (newline === -1) break;
      lines.push(this.#take());
      start = newline + 1;
    }
    return lines;
  }

  /** The unfinished last line, if any (at end of stream). */
  flush(): string | undefined {
    return this.#length > 0 || this.#cut > 0 ? this.#take() : undefined;
  }

  #keep(bytes: Uint8Array): void {
    const room = this.#max - this.#length;
    const kept = Math.min(room, bytes.length);
    this.#buffer.set(bytes.subarray(0, kept), this.#length);
    this.#length += kept;
    this.#cut += bytes.length - kept;
  }

  #take(): string {
    let line = this.#decoder.decode(this.#buffer.subarray(0, this.#length));
    if (this.#cut > 0) line += `… [cut ${this.#cut} bytes]`;
    this.cutBytes += this.#cut;
    this.#length = 0;
    this.#cut = 0;
    return line;
  }
}

/**
 * `text` cut to at most `maxBytes` of UTF-8 (on a character boundary) with the marker,
 * and how many bytes were cut.
 */
export function cutText(
  text: string,
  maxBytes = PLUGIN_LOG_MAX_LINE_BYTES,
): { text: string; cut: number } {
  if (text.length <= maxBytes / 3) return { text, cut: 0 };
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= maxBytes) return { text, cut: 0 };
  let end = maxBytes;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  const cut = bytes.length - end;
  return { text: `${new TextDecoder().decode(bytes.subarray(0, end))}… [cut ${cut} bytes]`, cut };
}
