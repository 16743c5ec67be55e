/**
 * Length-prefixed frames over Web Streams: a 4-byte big-endian length, then the payload.
 * Bytes only; the Launcher JSON protocol, the Airflow msgpack protocol and the host↔runner
 * channel all use these two classes unchanged. `StdinSource` reads the Launcher's stdin for
 * the reader, from the event loop once the host is busy.
 *
 * @module
 */
export {
  DEFAULT_MAX_FRAME_BYTES,
  HEADER_BYTES,
  SYNC_WRITE_BYTES,
  WRITE_HIGH_WATER_BYTES,
} from "./constants.ts";
export { FrameError, type FrameErrorKind } from "./frame_error.ts";
export { type ByteSource, FrameReader, type FrameReaderOptions } from "./frame_reader.ts";
export { type ByteSink, FrameWriter, type FrameWriterOptions } from "./frame_writer.ts";
export { StdinSource, type StdinSourceOptions } from "./stdin_source.ts";
