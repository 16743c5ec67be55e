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

/**
 * Rewrites Deno's permission refusal (`Requires read access to "/etc/shadow", run again
 * with the --allow-read flag`) as a sentence an administrator can act on:
 * `Plugin "x" is not permitted to read "/etc/shadow"`. Deno's other refusals (symbolic
 * links, Worker escalation, remote and npm imports the runner disables) get the same
 * form. Other errors pass unchanged.
 */
export function explainRefusal(error: unknown, pluginName: string): unknown {
  if (!(error instanceof Error)) return error;
  const what = refusedAction(error.message);
  if (what === undefined) return error;
  const explained = new Error(`Plugin "${pluginName}" is not permitted to ${what}`, {
    cause: error,
  });
  explained.name = "NotCapable";
  return explained;
}

function refusedAction(message: string): string | undefined {
  const match = /Requires (\w+) access(?: to "?([^",]+)"?)?/.exec(message);
  if (match) {
    const [, kind = "", target] = match;
    return target ? `${VERBS[kind] ?? kind} "${target}"` : WHOLE[kind] ?? kind;
  }
  for (const [pattern, describe] of OTHER_REFUSALS) {
    const other = pattern.exec(message);
    if (other) return describe(other);
  }
  return undefined;
}
