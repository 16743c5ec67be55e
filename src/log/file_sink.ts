import type { LogSink } from "./logger.ts";

/** Options for {@linkcode fileSink}. */
export interface FileSinkOptions {
  /** A file that would grow past this many bytes is rotated first (default: never). */
  maxBytes?: number;
  /** Rotated files kept as `<path>.1` (newest) … `<path>.<keep>` (default 1). */
  keep?: number;
}

/**
 * Appends lines to a log file private to this process's user: created 0600, narrowed to
 * 0600 when found wider (it holds plugin output and job details of every user), and
 * rotated by renaming, which keeps that mode on the old files.
 */
export function fileSink(path: string, options: FileSinkOptions = {}): LogSink & Disposable {
  const maxBytes = options.maxBytes ?? Infinity;
  const keep = Math.max(1, options.keep ?? 1);
  const encoder = new TextEncoder();
  let file = openPrivate(path);
  let size = file.statSync().size;
  return {
    writeLine(line) {
      const bytes = encoder.encode(line + "\n");
      if (size > 0 && size + bytes.length > maxBytes) {
        try {
          file.close();
          rotate(path, keep);
          file = openPrivate(path);
          size = file.statSync().size;
        } catch {
          // Rotation failed (a full disk, a removed directory): keep trying on later lines.
          size = 0;
        }
      }
      size += writeAll(file, bytes);
    },
    [Symbol.dispose]: () => file.close(),
  };
}

function openPrivate(path: string): Deno.FsFile {
  const file = Deno.openSync(path, { append: true, create: true, mode: 0o600 });
  if (((file.statSync().mode ?? 0) & 0o077) !== 0) Deno.chmodSync(path, 0o600);
  return file;
}

function rotate(path: string, keep: number): void {
  for (let n = keep - 1; n >= 1; n--) {
    try {
      Deno.renameSync(`${path}.${n}`, `${path}.${n + 1}`);
    } catch {
      // No older file at this place yet.
    }
  }
  Deno.renameSync(path, `${path}.1`);
}

function writeAll(target: { writeSync(bytes: Uint8Array): number }, bytes: Uint8Array): number {
  let offset = 0;
  try {
    while (offset < bytes.length) offset += target.writeSync(bytes.subarray(offset));
  } catch {
    // A log line that cannot be written (full disk) must not break a request.
  }
  return offset;
}
