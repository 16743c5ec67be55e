/** structlog level names Airflow's supervisor knows, by severity. */
const LEVELS = { debug: 10, info: 20, warning: 30, error: 40, critical: 50 } as const;

/** A level the log socket accepts (lower case, as structlog names them). */
export type AirflowLevel = keyof typeof LEVELS;

/** One log record: `event` is the message; other fields travel as structured keys. */
export interface LogRecord {
  event: string;
  level: AirflowLevel;
  logger: string;
  [field: string]: unknown;
}

/** Logs one runtime record; the fields can never replace `event`, `level` or `logger`. */
export type Say = (level: AirflowLevel, event: string, fields?: Record<string, unknown>) => void;

/**
 * The logs socket: JSON lines with `event`, lower-case `level`, RFC 3339 `timestamp` and
 * `logger`. Records below `AIRFLOW__LOGGING__LOGGING_LEVEL` (or a longer-matching
 * `AIRFLOW__LOGGING__NAMESPACE_LEVELS` entry) are dropped; records made before the socket
 * connects are buffered and sent in order. Without a socket, lines go to stderr.
 */
export class LogChannel implements AsyncDisposable {
  readonly #threshold: number;
  readonly #namespaces: [string, number][];
  readonly #buffer: string[] = [];
  readonly #encoder = new TextEncoder();
  #conn: Deno.Conn | undefined;
  #chain: Promise<void> = Promise.resolve();
  #failed = false;

  constructor(env: { level?: string | undefined; namespaceLevels?: string | undefined } = {}) {
    this.#threshold = levelValue(env.level) ?? LEVELS.info;
    this.#namespaces = parseNamespaces(env.namespaceLevels ?? "");
  }

  /**
   * Attaches the socket and sends what was buffered. Written directly, not through
   * `conn.writable`, whose first use loads Deno's Web streams on every task's start.
   */
  attach(conn: Deno.Conn): void {
    this.#conn = conn;
    const buffered = this.#buffer.splice(0).join("");
    if (buffered) this.#write(buffered);
  }

  /**
   * Sends one record. `event`, `level`, `logger` and `timestamp` always come from the
   * runtime: structured fields cannot replace them (the supervisor fails on a bad `level`).
   */
  emit(record: LogRecord): void {
    if (!(record.level in LEVELS) || LEVELS[record.level] < this.#thresholdFor(record.logger)) {
      return;
    }
    const line = toLine(record);
    if (this.#conn && !this.#failed) this.#write(line);
    else if (this.#failed) writeStderr(line);
    else this.#buffer.push(line);
  }

  /** Whether any logger may log at debug level (so debug records are worth producing). */
  wantsDebug(): boolean {
    return [this.#threshold, ...this.#namespaces.map(([, level]) => level)]
      .some((level) => level <= LEVELS.debug);
  }

  /** A {@linkcode Say} for one logger. */
  sayer(logger: string): Say {
    return (level, event, fields = {}) => this.emit({ ...fields, event, level, logger });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (!this.#conn) {
      for (const line of this.#buffer.splice(0)) writeStderr(line);
      return;
    }
    await this.#chain;
    try {
      this.#conn.close();
    } catch {
      // already closed
    }
  }

  #write(text: string): void {
    const bytes = this.#encoder.encode(text);
    this.#chain = this.#chain.then(() => writeAll(this.#conn!, bytes)).catch(() => {
      this.#failed = true;
      writeStderr(text);
    });
  }

  #thresholdFor(logger: string): number {
    let best: [string, number] | undefined;
    for (const entry of this.#namespaces) {
      const [name] = entry;
      if (
        (logger === name || logger.startsWith(`${name}.`)) && name.length > (best?.[0].length ?? -1)
      ) best = entry;
    }
    return best?.[1] ?? this.#threshold;
  }
}

/** Writes all of `bytes` (a socket write may take only part of them). */
async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  for (let offset = 0; offset < bytes.length;) offset += await conn.write(bytes.subarray(offset));
}

/** Maps a Python level name (`INFO`, `warning`, `WARN`, `fatal`) to its severity. */
export function levelValue(name: string | undefined): number | undefined {
  const key = name?.trim().toLowerCase();
  if (!key) return undefined;
  if (key === "warn") return LEVELS.warning;
  if (key === "fatal") return LEVELS.critical;
  return (LEVELS as Record<string, number>)[key];
}

/** `a.b=DEBUG c=ERROR` (spaces or commas between entries). */
function parseNamespaces(text: string): [string, number][] {
  return text.split(/[\s,]+/).filter(Boolean).flatMap((entry) => {
    const [name, level] = entry.split("=");
    const value = levelValue(level);
    return name && value !== undefined ? [[name, value] as [string, number]] : [];
  });
}

function toLine(record: LogRecord): string {
  const { event, level, logger, ...fields } = record;
  const head = { event: String(event), level, logger, timestamp: new Date().toISOString() };
  try {
    return JSON.stringify({ ...fields, ...head }, jsonSafe) + "\n";
  } catch (error) {
    const problem = `fields dropped: ${(error as Error).message}`;
    return JSON.stringify({ ...head, log_error: problem }) + "\n";
  }
}

function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}

function writeStderr(text: string): void {
  try {
    Deno.stderr.writeSync(new TextEncoder().encode(text));
  } catch {
    // nothing left to tell
  }
}
