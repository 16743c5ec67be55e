import type { LogFields, Logger } from "../sdk/mod.ts";
import { PLUGIN_LOG_LINES_PER_SECOND, PLUGIN_LOG_MAX_LINE_BYTES } from "./constants.ts";
import { LogRateLimit, type LogRateLimitOptions } from "./log_rate_limit.ts";
import { CUT_MARKER_ROOM, cutText, StderrLines } from "./stderr_lines.ts";

/** Where the host counts what it did not log whole (`/metrics`). */
export interface PluginLogCounters {
  /** Lines dropped by the rate limit. */
  dropped(lines: number): void;
  /** Bytes cut from lines longer than the limit. */
  cut(bytes: number): void;
}

type Level = "debug" | "info" | "warn" | "error";
const LEVELS = new Set<string>(["debug", "info", "warn", "error"]);
/** Log keys the host sets; a plugin's own field of that name is kept as `plugin_<name>`. */
const HOST_LOG_KEYS = new Set(["time", "level", "msg", "plugin", "instance"]);

/**
 * Everything one instance logs, through one bound: each line cut at
 * {@linkcode PLUGIN_LOG_MAX_LINE_BYTES}, all lines (stderr, `ctx.log`, `console`) sharing
 * one rate limit, what was dropped or cut counted and, once lines flow again, reported
 * in a line naming the plugin.
 */
export class PluginLog {
  readonly #log: Logger;
  readonly #plugin: string;
  readonly #limit: LogRateLimit;
  readonly #counters: PluginLogCounters | undefined;

  constructor(
    log: Logger,
    plugin: string,
    options: { counters?: PluginLogCounters; limit?: LogRateLimitOptions } = {},
  ) {
    this.#log = log;
    this.#plugin = plugin;
    this.#limit = new LogRateLimit(options.limit);
    this.#counters = options.counters;
  }

  /**
   * A `log` message from the runner (the plugin's `ctx.log` and `console`); `runnerCut`
   * is what the runner already cut from it.
   */
  line(level: string, msg: unknown, fields?: LogFields, runnerCut = 0): void {
    if (!this.#admit()) return;
    const { text, cut } = cutText(String(msg), PLUGIN_LOG_MAX_LINE_BYTES + CUT_MARKER_ROOM);
    const total = cut + (Number.isSafeInteger(runnerCut) && runnerCut > 0 ? runnerCut : 0);
    if (total > 0) this.#counters?.cut(total);
    this.#log[LEVELS.has(level) ? level as Level : "warn"](text, boundFields(fields));
  }

  /** Logs the runner's stderr line by line until it ends. */
  async readStderr(stream: ReadableStream<Uint8Array>): Promise<void> {
    const lines = new StderrLines();
    let cut = 0;
    const emit = (line: string) => {
      if (lines.cutBytes > cut) this.#counters?.cut(lines.cutBytes - cut);
      cut = lines.cutBytes;
      if (line.trim() && this.#admit()) this.#log.warn(line, { source: "runner-stderr" });
    };
    for await (const chunk of chunksOf(stream)) for (const line of lines.push(chunk)) emit(line);
    const last = lines.flush();
    if (last !== undefined) emit(last);
    this.reportDropped();
  }

  /** Logs how many lines the rate limit dropped since the last report, if any. */
  reportDropped(): void {
    const dropped = this.#limit.takeDropped();
    if (dropped === 0) return;
    this.#log.warn(
      `Plugin "${this.#plugin}" logged more than ${PLUGIN_LOG_LINES_PER_SECOND} lines per ` +
        `second: ${dropped} lines dropped`,
      { dropped },
    );
  }

  #admit(): boolean {
    if (!this.#limit.admit()) {
      this.#counters?.dropped(1);
      return false;
    }
    this.reportDropped();
    return true;
  }
}

/** A plugin's log fields, unable to overwrite what the host says, cut when too large. */
function boundFields(fields: LogFields | undefined): LogFields | undefined {
  if (!fields) return fields;
  const renamed = Object.keys(fields).some((key) => HOST_LOG_KEYS.has(key))
    ? Object.fromEntries(
      Object.entries(fields).map(([key, value]) => [
        HOST_LOG_KEYS.has(key) ? `plugin_${key}` : key,
        value,
      ]),
    )
    : fields;
  let size: number;
  try {
    size = JSON.stringify(renamed)?.length ?? 0;
  } catch {
    return { fields_unserializable: true };
  }
  return size > PLUGIN_LOG_MAX_LINE_BYTES ? { fields_cut_bytes: size } : renamed;
}

/**
 * The stream's bytes through one reused 64 KiB buffer (a BYOB reader where the stream
 * has one), so a flood does not leave a trail of chunks for the garbage collector.
 */
async function* chunksOf(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  let reader: ReadableStreamBYOBReader;
  try {
    reader = stream.getReader({ mode: "byob" });
  } catch {
    yield* stream;
    return;
  }
  let buffer = new ArrayBuffer(64 * 1024);
  try {
    while (true) {
      const { value, done } = await reader.read(new Uint8Array(buffer));
      if (done || !value) return;
      yield value;
      buffer = value.buffer as ArrayBuffer;
    }
  } finally {
    reader.releaseLock();
  }
}
