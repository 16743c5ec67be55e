/** Bytes in the big-endian length header that precedes every frame. */
export const HEADER_BYTES = 4;

/** Default largest payload: 5 MiB, the Launcher Plugin API default `max-message-size`. */
export const DEFAULT_MAX_FRAME_BYTES = 5 * 1024 * 1024;

/**
 * The writer gathers queued frames into writes of up to about this size: one 1 MiB write
 * costs far less than sixteen 64 KiB ones (each asynchronous write is a trip through Deno's
 * blocking thread pool), and a pipe takes it in one blocking call.
 */
export const WRITE_BATCH_BYTES = 1024 * 1024;

/** A frame this large, alone in the queue, is written as header then payload, uncopied. */
export const DIRECT_WRITE_BYTES = 64 * 1024;

/** Initial size of a reader's reusable receive buffer; it grows to fit the largest frame. */
export const READ_BUFFER_BYTES = 64 * 1024;

/** Payloads this large are read straight into their own array instead of the shared buffer. */
export const LARGE_FRAME_BYTES = 32 * 1024;

/**
 * Producers that can wait (the host's job output and resource streams) stop queueing
 * frames while more than this is queued for a slow reader, so the queue stays bounded.
 */
export const WRITE_HIGH_WATER_BYTES = 8 * 1024 * 1024;

/**
 * The host's Launcher writer writes batches up to this size synchronously (see
 * `FrameWriterOptions.syncWriteBytes`): the size of a Linux pipe's buffer, so a batch to a
 * Launcher that keeps reading never waits for it; larger batches (job output) stay
 * asynchronous.
 */
export const SYNC_WRITE_BYTES = 64 * 1024;

/**
 * The Launcher's stdin moves from `Deno.stdin` to a `node:net` socket (`StdinSource`) once
 * this many reads happened within STDIN_SOCKET_WINDOW_MS: a host that busy saves about
 * 3 µs of CPU a request; a quieter one is not worth the module's 40–150 ms and 10 MiB.
 */
export const STDIN_SOCKET_READS = 64;

/** The window STDIN_SOCKET_READS are counted in. */
export const STDIN_SOCKET_WINDOW_MS = 1_000;

/**
 * The socket stops reading while more than this is buffered and not yet taken, so a
 * Launcher that outruns the host fills the pipe instead of the host's memory.
 */
export const STDIN_SOCKET_PAUSE_BYTES = 4 * 1024 * 1024;
