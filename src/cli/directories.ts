import { UsageError } from "./usage_error.ts";

/**
 * Makes sure a directory exists, creating it (and its parents) when missing, with `mode`
 * (default 0777 less the umask). A failure names the path and what set it, so the
 * administrator knows which option to change. An existing directory keeps its mode.
 */
export function ensureDirectory(path: string, setBy: string, option: string, mode?: number): void {
  try {
    Deno.mkdirSync(path, { recursive: true, ...(mode === undefined ? {} : { mode }) });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const source = setBy === "default"
      ? `the default; set ${option} to change it`
      : `set by ${setBy}`;
    throw new UsageError(`Cannot create directory ${path} (${source}): ${reason}`);
  }
}
