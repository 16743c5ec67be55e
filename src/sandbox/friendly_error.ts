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

/**
 * Rewrites Deno's permission refusal (`Requires read access to "/etc/shadow", run again
 * with the --allow-read flag`) as a sentence an administrator can act on:
 * `Plugin "x" is not permitted to read "/etc/shadow"`. Other errors pass unchanged.
 */
export function explainRefusal(error: unknown, pluginName: string): unknown {
  if (!(error instanceof Error)) return error;
  const match = /Requires (\w+) access(?: to "?([^",]+)"?)?/.exec(error.message);
  if (!match) return error;
  const [, kind = "", target] = match;
  const what = target ? ` "${target}"` : "";
  const explained = new Error(
    `Plugin "${pluginName}" is not permitted to ${VERBS[kind] ?? kind}${what}`,
    {
      cause: error,
    },
  );
  explained.name = "NotCapable";
  return explained;
}
