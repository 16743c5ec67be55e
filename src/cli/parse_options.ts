import type { OptionSpec } from "./option_table.ts";
import { UsageError } from "./usage_error.ts";

/** Raw option values by name, as given (command line or config file). */
export type RawOptions = Map<string, string>;

/**
 * Reads `--name=value`, `--name value` and, for booleans, a bare `--name`. Every unknown
 * option is named in one error; positional words are refused too.
 */
export function parseOptions(
  args: readonly string[],
  table: Readonly<Record<string, OptionSpec>>,
): RawOptions {
  const values: RawOptions = new Map();
  const unknown: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith("--")) throw new UsageError(`Unexpected argument "${arg}" (see --help)`);
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const spec = table[name];
    if (!spec) {
      unknown.push(`--${name}`);
      if (eq === -1 && args[i + 1] !== undefined && !args[i + 1]!.startsWith("--")) i++;
      continue;
    }
    if (eq !== -1) values.set(name, arg.slice(eq + 1));
    else if (spec.kind === "bool" && !isBoolWord(args[i + 1])) values.set(name, "1");
    else if (i + 1 < args.length) values.set(name, args[++i]!);
    else throw new UsageError(`Option --${name} needs a value`);
  }
  if (unknown.length > 0) {
    const noun = unknown.length === 1 ? "Unknown option" : "Unknown options";
    throw new UsageError(`${noun} ${unknown.join(", ")} (see --help)`);
  }
  return values;
}

function isBoolWord(word: string | undefined): boolean {
  return word !== undefined && /^(0|1|true|false|yes|no|on|off)$/i.test(word);
}
