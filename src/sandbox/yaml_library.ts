/**
 * The full YAML library (npm:yaml). Imported only through {@linkcode importYaml} of
 * `yaml_loader.ts`, by a computed specifier, so `deno run` does not resolve the npm package
 * when a module that might need it loads: a manifest within the fast parser's subset, and a
 * task run, never do. `bin/build` passes this file to `deno compile --include`.
 *
 * @module
 */
export { isMap, isScalar, isSeq, LineCounter, parseDocument, stringify } from "yaml";
