/**
 * JSON-lines logging to stderr and files. Never writes to stdout, which belongs to the
 * protocol.
 *
 * @module
 */
export {
  createLogger,
  JsonLogger,
  type LogFields,
  type LoggerOptions,
  type LogLevel,
  type LogSink,
  stderrSink,
} from "./logger.ts";
export { fileSink, type FileSinkOptions } from "./file_sink.ts";
