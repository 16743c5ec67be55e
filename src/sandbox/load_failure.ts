import { PluginLoadError } from "./plugin_load_error.ts";

/** The specifiers the host resolves for every plugin, wherever its folder is. */
export const SDK_SPECIFIERS = ["@launchbox/sdk", "@launchbox/sdk/airflow"] as const;

const IMPORT_HINT = `a plugin imports files of its own folder by relative path and the SDK as ` +
  `${SDK_SPECIFIERS.map((s) => `"${s}"`).join(" or ")} (fix the import)`;

// deno's load errors, newest wording first; each case names the cause and what to do.
const CASES: { pattern: RegExp; reason: (m: RegExpExecArray) => string }[] = [
  {
    pattern: /Requires read access to "([^"]+)"/,
    reason: (m) => `cannot import "${m[1]}": ${IMPORT_HINT}`,
  },
  {
    pattern: /Module not found "([^"]+)"/,
    reason: (m) => `cannot import "${toPath(m[1]!)}": no such file (fix the import)`,
  },
  {
    pattern: /Import "([^"]+)" not a dependency and not in import map/,
    reason: (m) => `cannot import "${m[1]}": not a relative path; ${IMPORT_HINT}`,
  },
  {
    pattern: /requested module '([^']+)' does not provide an export named '([^']+)'/,
    reason: (m) => `cannot import "${m[2]}" from "${m[1]}": it has no such export (fix the import)`,
  },
];

/**
 * Turns an error from `import()` of a plugin's entry module into a {@linkcode PluginLoadError}
 * naming the file and line at fault, the cause, and what to do. Deno puts the place of a
 * syntax or import error in the message (`at file:///p/mod.ts:1:19`) and the place of a
 * thrown error in the stack.
 */
export function describeLoadFailure(error: unknown, entryPath: string): PluginLoadError {
  const message = plain(error instanceof Error ? error.message : String(error));
  const stack = plain(error instanceof Error ? error.stack ?? "" : "");
  const where = locate(message) ?? locate(stack, entryPath) ?? { file: entryPath };
  for (const { pattern, reason } of CASES) {
    const match = pattern.exec(message);
    if (match) return new PluginLoadError(reason(match), where, { cause: error });
  }
  if (/^(SyntaxError: )?[^\n]*\n\s*\|/.test(message) || isSyntaxError(error)) {
    const first = message.replace(/^SyntaxError: /, "").split("\n")[0]!;
    return new PluginLoadError(`syntax error: ${first} (fix the syntax)`, where, {
      cause: error,
    });
  }
  const name = error instanceof Error ? error.name : "Error";
  return new PluginLoadError(
    `the module threw ${name}: ${message.split("\n")[0]} while loading (fix the code at that line)`,
    where,
    { cause: error },
  );
}

/** The entry module does not default-export a plugin definition of the wanted kind. */
export function missingDefinition(
  entryPath: string,
  kind: "launcher" | "airflow",
): PluginLoadError {
  const wanted = kind === "launcher" ? "definePlugin(…)" : "defineBundle(…)";
  return new PluginLoadError(
    `does not export a ${kind} plugin (add "export default ${wanted}", imported from "${
      kind === "launcher" ? SDK_SPECIFIERS[0] : SDK_SPECIFIERS[1]
    }")`,
    { file: entryPath },
  );
}

function isSyntaxError(error: unknown): boolean {
  return error instanceof SyntaxError ||
    (error instanceof Error && error.message.startsWith("SyntaxError:"));
}

/** The first `file:` URL with a line in `text`; with `prefer`, a frame in that folder first. */
function locate(text: string, prefer?: string): { file: string; line: number } | undefined {
  const found = [...text.matchAll(/(file:\/\/[^\s"'()]+?):(\d+)(?::\d+)?/g)].map((m) => ({
    file: toPath(m[1]!),
    line: Number(m[2]),
  }));
  if (prefer) {
    const dir = prefer.slice(0, prefer.lastIndexOf("/") + 1);
    return found.find((place) => place.file.startsWith(dir));
  }
  return found[0];
}

function toPath(url: string): string {
  return url.startsWith("file://") ? decodeURIComponent(new URL(url).pathname) : url;
}

function plain(text: string): string {
  // deno colours the places in its messages unless NO_COLOR is set.
  // deno-lint-ignore no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, "");
}
