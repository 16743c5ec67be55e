import { UsageError } from "./usage_error.ts";

/** `key=value` lines of a Launcher-style config file; `#` starts a comment line. */
export function parseConfigFile(text: string, path: string): Map<string, string> {
  const values = new Map<string, string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const eq = line.indexOf("=");
    if (eq <= 0) {
      throw new UsageError(
        `Cannot read ${path} line ${index + 1}: expected key=value, got "${line}"`,
      );
    }
    values.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  });
  return values;
}

/**
 * Where `launcher.<name>.conf` lives when `--config-file` is not given, as the SDKs look:
 * `$RSTUDIO_CONFIG_DIR`, then the first `<dir>/rstudio` of `$XDG_CONFIG_DIRS` that exists,
 * then `/etc/rstudio`.
 */
export function defaultConfigPath(leaf: string): string {
  const configDir = Deno.env.get("RSTUDIO_CONFIG_DIR");
  if (configDir) return `${configDir}/${leaf}`;
  for (const dir of (Deno.env.get("XDG_CONFIG_DIRS") ?? "").split(":").filter(Boolean)) {
    if (isDirectory(`${dir}/rstudio`)) return `${dir}/rstudio/${leaf}`;
  }
  return `/etc/rstudio/${leaf}`;
}

/** Reads a config file; a missing file is `undefined` unless it was asked for explicitly. */
export function readConfigFile(path: string, required: boolean): Map<string, string> | undefined {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound && !required) return undefined;
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`Cannot read config file ${path} (set by --config-file): ${reason}`);
  }
  return parseConfigFile(text, path);
}

function isDirectory(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}
