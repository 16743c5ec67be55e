import { CRASH_REPORT_MAX_CHARS } from "./constants.ts";
import { explainRefusal } from "./friendly_error.ts";
import type { WireError } from "./rpc.ts";

/** What a runner tells the host when plugin code threw outside every call. */
export interface CrashReport {
  /** The error, its refusal explained (see `explainRefusal`). */
  error: WireError;
  /** The first stack frame in the plugin's own files: `/plugins/x/mod.ts:12:5`. */
  at?: string;
}

const FRAME = /\(?(file:\/\/[^\s()]+?):(\d+):(\d+)\)?$/;

/**
 * The report of an uncaught error or unhandled rejection of a plugin (its name, folder
 * and the host's scratch path): the error's name and message (a sandbox refusal in the
 * words of `explainRefusal`, naming the manifest key to add) and where in the plugin it
 * was thrown. A rejection with something other than an `Error` reports that value.
 */
export function crashReport(
  reason: unknown,
  plugin: { name: string; dir: string; scratch?: string },
): CrashReport {
  const explained = explainRefusal(
    reason,
    plugin.name,
    plugin.scratch ? { scratch: plugin.scratch } : {},
  );
  const error: WireError = explained instanceof Error
    ? { name: explained.name, message: cut(explained.message) }
    : { name: "Error", message: cut(`a promise was rejected with ${describe(reason)}`) };
  const at = reason instanceof Error ? firstPluginFrame(reason.stack, plugin.dir) : undefined;
  return at ? { error, at } : { error };
}

/** `name: message (at file:line:col)`: a crash report as one line of text. */
export function describeCrash(report: CrashReport): string {
  const text = `${report.error.name}: ${report.error.message}`;
  return cut(report.at ? `${text} (at ${report.at})` : text);
}

/** The first `file:line:col` of a stack inside `pluginDir`, as a path. */
export function firstPluginFrame(stack: string | undefined, pluginDir: string): string | undefined {
  const prefix = pluginDir.endsWith("/") ? pluginDir : `${pluginDir}/`;
  for (const line of (stack ?? "").split("\n").slice(1)) {
    const match = FRAME.exec(line.trim());
    if (!match) continue;
    let path: string;
    try {
      path = decodeURIComponent(new URL(match[1]!).pathname);
    } catch {
      continue;
    }
    // For display only: which frame to name, not a permission decision.
    if (path.startsWith(prefix)) return `${path}:${match[2]}:${match[3]}`;
  }
  return undefined;
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function cut(text: string): string {
  return text.length <= CRASH_REPORT_MAX_CHARS
    ? text
    : `${text.slice(0, CRASH_REPORT_MAX_CHARS - 1)}…`;
}
