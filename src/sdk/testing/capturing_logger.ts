import type { LogFields, Logger } from "../context.ts";

/**
 * One line a plugin logged, with the fields of its logger and of the call merged.
 *
 * @example
 * ```ts
 * import type { LogRecord } from "./mod.ts";
 * const warnings = (records: readonly LogRecord[]) =>
 *   records.filter((record) => record.level === "warn").map((record) => record.message);
 * ```
 */
export interface LogRecord {
  readonly level: "debug" | "info" | "warn" | "error";
  readonly message: string;
  readonly fields: LogFields;
}

/**
 * A {@linkcode Logger} that keeps every line in memory for a test to inspect. Child
 * loggers made by `with` write to the same list.
 *
 * @example
 * ```ts
 * import { CapturingLogger } from "./mod.ts";
 * const log = new CapturingLogger();
 * log.with({ job: "1" }).warn("Slow start", { ms: 900 });
 * log.records[0]; // { level: "warn", message: "Slow start", fields: { job: "1", ms: 900 } }
 * ```
 */
export class CapturingLogger implements Logger {
  #records: LogRecord[] = [];
  #fields: LogFields = {};

  /** Every line logged through this logger and its children, oldest first. */
  get records(): readonly LogRecord[] {
    return this.#records;
  }

  debug(message: string, fields?: LogFields): void {
    this.#write("debug", message, fields);
  }

  info(message: string, fields?: LogFields): void {
    this.#write("info", message, fields);
  }

  warn(message: string, fields?: LogFields): void {
    this.#write("warn", message, fields);
  }

  error(message: string, fields?: LogFields): void {
    this.#write("error", message, fields);
  }

  with(fields: LogFields): CapturingLogger {
    const child = new CapturingLogger();
    child.#records = this.#records;
    child.#fields = { ...this.#fields, ...fields };
    return child;
  }

  #write(level: LogRecord["level"], message: string, fields?: LogFields): void {
    this.#records.push({ level, message, fields: { ...this.#fields, ...fields } });
  }
}
