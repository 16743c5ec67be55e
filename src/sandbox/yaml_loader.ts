/**
 * Loads {@link ./yaml_library.ts} when a caller needs the full YAML library. The specifier is
 * computed: `deno run` builds the graph of every literal `import("…")` as soon as the
 * importing module loads, which would resolve npm:yaml in every host and task runtime.
 */
const YAML_LIBRARY: string = new URL("./yaml_library.ts", import.meta.url).href;

/** The full YAML library (parser and `stringify`). */
export function importYaml(): Promise<typeof import("./yaml_library.ts")> {
  return import(YAML_LIBRARY);
}
