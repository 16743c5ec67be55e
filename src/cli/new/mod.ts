/**
 * `launchbox new <name> [--dir D] [--kind launcher|airflow]`: scaffolds a plugin folder
 * that passes `launchbox check` and its own tests out of the box.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { writeStdout } from "../exit.ts";
import { UsageError } from "../usage_error.ts";
import { scaffoldPlugin } from "./scaffold.ts";
import { sdkSourceDir } from "./sdk_sources.ts";

const USAGE = "usage: launchbox new <name> [--dir D] [--kind launcher|airflow]";

/** Runs `launchbox new`; exits 2 on bad arguments or a folder that exists. */
export async function runNew(args: string[]): Promise<number> {
  const { name, parent, kind } = parse(args);
  const sdkDir = await sdkSourceDir();
  let made;
  try {
    made = await scaffoldPlugin({ name, parent, kind, sdkDir });
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(error.message);
    throw error;
  }
  const test = kind === "launcher" ? "conformance suite" : "tests";
  writeStdout(
    [
      `Created ${kind} plugin "${name}" in ${made.dir}:`,
      ...made.files.map((file) => `  ${file}`),
      "",
      `Its deno.json maps @launchbox/sdk to ${sdkDir}. Next:`,
      `  cd ${made.dir}`,
      "  deno task check                 # type-check against the SDK",
      `  deno task test                  # the ${test}`,
      `  launchbox check --plugins-dir ${parent}`,
      "",
    ].join("\n"),
  );
  return 0;
}

function parse(args: string[]): { name: string; parent: string; kind: "launcher" | "airflow" } {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { dir: { type: "string" }, kind: { type: "string" } },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (${USAGE})`);
  }
  const [name, ...extra] = parsed.positionals;
  if (name === undefined || extra.length > 0) {
    throw new UsageError(`Cannot create a plugin: give exactly one name (${USAGE})`);
  }
  const kind = parsed.values.kind ?? "launcher";
  if (kind !== "launcher" && kind !== "airflow") {
    throw new UsageError(
      `Cannot create plugin "${name}": --kind must be launcher or airflow, got "${kind}"`,
    );
  }
  const dir = parsed.values.dir ?? Deno.cwd();
  return { name, parent: dir.startsWith("/") ? dir : `${Deno.cwd()}/${dir}`, kind };
}
