/** Structured fields attached to a log line. */
export type LogFields = Record<string, unknown>;

/** Log severities, lowest first. */
export type LogLevel = "debug" | "info" | "warn" | "error";

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Where formatted lines go: stderr, a file, or a test's array. */
export interface LogSink {
  writeLine(line: string): void;
}

/** Options for {@linkcode createLogger}. */
export interface LoggerOptions {
  /** Lines below this level are dropped. */
  level?: LogLevel;
  sinks?: LogSink[];
  /** Fields on every line. */
  fields?: LogFields;
  now?: () => Date;
}

/**
 * A JSON-lines logger with child loggers. Structurally matches the SDK's `Logger`, so the
 * host hands plugins a child of its own logger.
 */
export class JsonLogger {
  readonly #minRank: number;
  readonly #sinks: LogSink[];
  readonly #fields: LogFields;
  readonly #now: () => Date;

  constructor(options: LoggerOptions = {}) {
    this.#minRank = RANK[options.level ?? "info"];
    this.#sinks = options.sinks ?? [stderrSink()];
    this.#fields = options.fields ?? {};
    this.#now = options.now ?? (() => new Date());
  }

  /** Whether debug lines are written. */
  get debugEnabled(): boolean {
    return this.#minRank === 0;
  }

  debug(message: string, fields?: LogFields): void {
    this.#log("debug", message, fields);
  }

  info(message: string, fields?: LogFields): void {
    this.#log("info", message, fields);
  }

  warn(message: string, fields?: LogFields): void {
    this.#log("warn", message, fields);
  }

  error(message: string, fields?: LogFields): void {
    this.#log("error", message, fields);
  }

  /** A logger that adds `fields` to every line and shares this one's level and sinks. */
  with(fields: LogFields): JsonLogger {
    const level = (Object.keys(RANK) as LogLevel[])[this.#minRank]!;
    return new JsonLogger({
      level,
      sinks: this.#sinks,
      fields: { ...this.#fields, ...fields },
      now: this.#now,
    });
  }

  #log(level: LogLevel, msg: string, fields?: LogFields): void {
    if (RANK[level] < this.#minRank) return;
    const record = { time: this.#now().toISOString(), level, msg, ...this.#fields, ...fields };
    const line = JSON.stringify(record, replaceErrors);
    for (const sink of this.#sinks) sink.writeLine(line);
  }
}

/** Creates the process logger. */
export function createLogger(options: LoggerOptions = {}): JsonLogger {
  return new JsonLogger(options);
}

/** Writes lines to the process's stderr, never stdout. */
export function stderrSink(): LogSink {
  const encoder = new TextEncoder();
  return { writeLine: (line) => writeAll(Deno.stderr, encoder.encode(line + "\n")) };
}

function writeAll(target: { writeSync(bytes: Uint8Array): number }, bytes: Uint8Array): void {
  try {
    let offset = 0;
    while (offset < bytes.length) offset += target.writeSync(bytes.subarray(offset));
  } catch {
    // A log line that cannot be written (closed stderr, full disk) must not break a request.
  }
}

/** Errors become `{name, message, stack}`; bigints become strings. */
function replaceErrors(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    return { name: value.name, message: value.message, stack: value.stack };
  }
  if (typeof value === "bigint") return value.toString();
  return value;
}
