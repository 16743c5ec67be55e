/**
 * Inside an Airflow task Worker: everything a task prints becomes a log record. A Worker's
 * `console` and `Deno.stdout` write to the process's own streams, which permissions do not
 * cover (specs/deno-runtime-notes.md §1), and some console methods (`count`, `time…`,
 * `dirxml`) print without going through `console.log`, so the whole console is replaced.
 *
 * @module
 */

/** Where a printed line goes: a level and the text. */
export type PrintSink = (level: "debug" | "info" | "warning" | "error", text: string) => void;

/** Replaces every `console` method with one that sends records to `sink`. */
export function routeConsole(sink: PrintSink): void {
  const replacement: Record<string, (...args: never[]) => unknown> = consoleMethods(sink);
  for (const key of Object.keys(console)) replacement[key] ??= () => {};
  Object.assign(console, replacement);
}

function consoleMethods(sink: PrintSink) {
  let indent = "";
  const at = (level: Parameters<PrintSink>[0]) => (...args: unknown[]) =>
    sink(level, indent + format(args));
  const counts = new Map<string, number>();
  const timers = new Map<string, number>();
  const elapsed = (label: string, args: unknown[]) => {
    const started = timers.get(label);
    if (started === undefined) return sink("warning", `Timer "${label}" does not exist`);
    const ms = (performance.now() - started).toFixed(3);
    sink("info", `${indent}${label}: ${ms}ms${args.length ? ` ${format(args)}` : ""}`);
  };
  const group = (...args: unknown[]) => {
    if (args.length > 0) at("info")(...args);
    indent += "  ";
  };
  return {
    ...{ log: at("info"), info: at("info"), debug: at("debug"), trace: at("debug") },
    ...{ warn: at("warning"), error: at("error") },
    ...{ dir: at("info"), dirxml: at("info"), table: at("info") },
    assert: (condition: unknown, ...args: unknown[]) => {
      if (!condition) sink("error", `Assertion failed${args.length ? `: ${format(args)}` : ""}`);
    },
    count: (label = "default") => {
      counts.set(label, (counts.get(label) ?? 0) + 1);
      sink("info", `${indent}${label}: ${counts.get(label)}`);
    },
    countReset: (label = "default") => counts.delete(label),
    time: (label = "default") => timers.set(label, performance.now()),
    timeLog: (label = "default", ...args: unknown[]) => elapsed(label, args),
    timeEnd: (label = "default") => {
      elapsed(label, []);
      timers.delete(label);
    },
    ...{ group, groupCollapsed: group, groupEnd: () => indent = indent.slice(2) },
  };
}

function format(args: unknown[]): string {
  return args.map((a) => typeof a === "string" ? a : Deno.inspect(a)).join(" ");
}

/**
 * `Deno.stdout` and `Deno.stderr` writes (`write`, `writeSync`, `writable`) become records:
 * stdout at info, stderr at error, as Airflow logs a task's streams. Accidental output only:
 * hostile code can still reach the file descriptors.
 */
export function routeStdio(sink: PrintSink): void {
  const streams = [[Deno.stdout, "info"], [Deno.stderr, "error"]] as const;
  for (const [stream, level] of streams) {
    const decoder = new TextDecoder();
    const forward = (bytes: Uint8Array) => {
      const text = decoder.decode(bytes, { stream: true }).replace(/\n$/, "");
      if (text) sink(level, text);
      return bytes.length;
    };
    try {
      Object.defineProperties(stream, {
        write: { value: (bytes: Uint8Array) => Promise.resolve(forward(bytes)) },
        writeSync: { value: forward },
        writable: {
          get: () => new WritableStream<Uint8Array>({ write: (bytes) => void forward(bytes) }),
        },
      });
    } catch {
      // not configurable in this Deno: console routing still applies
    }
  }
}
