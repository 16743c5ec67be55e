import { isWithin } from "./entry_path.ts";
import { checkPermissionEntry, PERMISSION_KINDS, type PermissionKind } from "./permission_rules.ts";

const VERBS: Record<string, string> = {
  read: "read",
  write: "write",
  net: "connect to",
  env: "read the environment variable",
  run: "run",
  sys: "query system information",
  ffi: "load the native library",
  import: "import",
};

/** What a refusal without a target was about: `Requires env access` is the whole environment. */
const WHOLE: Record<string, string> = {
  read: "read the whole file system",
  write: "write the whole file system",
  net: "use the network",
  env: "read the whole environment",
  // Deno.kill and process.kill need unscoped run access: a run grant never covers them.
  run: "signal processes or run any program",
  sys: "query system information",
  ffi: "load native libraries",
  import: "import remote modules",
};

/** Refusals that are not `Requires … access`: what Deno says, and what the plugin tried. */
const OTHER_REFUSALS: [RegExp, (match: RegExpExecArray) => string][] = [
  [/^Deno\.symlink(?:Sync)?\(\) requires unscoped/, () => "create a symbolic link"],
  [
    /^Can't escalate parent thread permissions/,
    () => "start a Worker with more permissions than its own",
  ],
  [/A remote specifier was requested: "([^"]+)", but --no-remote/, (m) => `import "${m[1]}"`],
  [/^npm specifiers were requested; but --no-npm/, () => "import npm packages"],
];

/** Options for {@linkcode explainRefusal}. */
export interface ExplainOptions {
  /** The scratch path: no manifest grants what is under it, so no hint names it. */
  scratch?: string;
}

/**
 * Rewrites Deno's permission refusal (`Requires sys access to "hostname", run again with
 * the --allow-sys flag`) as a sentence a plugin author can act on, naming the manifest key
 * to add when the manifest's rules would grant it: `Plugin "x" is not permitted to query
 * system information "hostname" (add "hostname" to permissions.sys in plugin.yaml)`.
 * What no manifest may grant (`/etc/shadow`, writes outside the instance directory) gets
 * no hint. Deno's other refusals (symbolic links, Worker escalation, remote and npm
 * imports the runner disables) get the same form. Other errors pass unchanged.
 */
export function explainRefusal(
  error: unknown,
  pluginName: string,
  options: ExplainOptions = {},
): unknown {
  if (!(error instanceof Error)) return error;
  const what = refusedAction(error.message, options);
  if (what === undefined) return error;
  const explained = new Error(`Plugin "${pluginName}" is not permitted to ${what}`, {
    cause: error,
  });
  explained.name = "NotCapable";
  return explained;
}

function refusedAction(message: string, options: ExplainOptions): string | undefined {
  const match = /Requires (\w+) access(?: to "?([^",]+)"?)?/.exec(message);
  if (match) {
    const [, kind = "", target] = match;
    if (!target) return WHOLE[kind] ?? kind;
    return `${VERBS[kind] ?? kind} "${target}"${manifestHint(kind, target, options)}`;
  }
  for (const [pattern, describe] of OTHER_REFUSALS) {
    const other = pattern.exec(message);
    if (other) return describe(other);
  }
  return undefined;
}

/** ` (add "x" to permissions.kind in plugin.yaml)`, when a manifest may grant `target`. */
function manifestHint(kind: string, target: string, options: ExplainOptions): string {
  if (!(PERMISSION_KINDS as readonly string[]).includes(kind)) return "";
  if (checkPermissionEntry(kind as PermissionKind, target) !== undefined) return "";
  const path = kind === "read" || kind === "write" || kind === "run";
  if (path && options.scratch && isWithin(target, options.scratch)) return "";
  return ` (add "${target}" to permissions.${kind} in plugin.yaml)`;
}
