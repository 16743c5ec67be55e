const ROOT = new URL("../../", import.meta.url).pathname;

/**
 * How to start this program again with other arguments: the binary itself when compiled,
 * else `deno run` with the same permission ceiling (bin/ceiling.flags) and config.
 */
export function selfCommand(args: readonly string[]): { command: string; args: string[] } {
  if (Deno.build.standalone) return { command: Deno.execPath(), args: [...args] };
  const flags = Deno.readTextFileSync(`${ROOT}bin/ceiling.flags`).split("\n").filter(Boolean);
  return {
    command: Deno.execPath(),
    args: ["run", ...flags, "--config", `${ROOT}deno.json`, `${ROOT}main.ts`, ...args],
  };
}
