/**
 * JSON-lines logging to stderr and files. Never writes to stdout, which belongs to the
 * protocol.
 *
 * @module
 */
export {
  createLogger,
  fileSink,
  JsonLogger,
  type LogFields,
  type LoggerOptions,
  type LogLevel,
  type LogSink,
  stderrSink,
} from "./logger.ts";
