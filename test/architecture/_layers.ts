/**
 * The layer rules of docs/architecture.md, read from its table (column "imports from the
 * project"), and the imports in a module graph that break them.
 *
 * @module
 */
import type { ModuleGraph } from "./_module_graph.ts";

/** What one layer (`src/<name>/`) may import from the project. */
export interface LayerRule {
  /** Layers it may import code from; `"*"` for every layer. */
  readonly code: ReadonlySet<string>;
  /** Layers it may import types from (those in `code` too). */
  readonly types: ReadonlySet<string>;
}

/** Layer name (`sdk`, `host`, …) → its rule. */
export type LayerRules = Map<string, LayerRule>;

/**
 * Reads the layer table: a row `| \`src/host/\` | … | launcher (types only), sandbox, log |`.
 * "nothing" allows no layer, "everything" every layer.
 */
export function parseLayerRules(markdown: string): LayerRules {
  const rules: LayerRules = new Map();
  for (const line of markdown.split("\n")) {
    const row = /^\|\s*`src\/([a-z]+)\/`\s*\|.*\|\s*([^|]+?)\s*\|$/.exec(line);
    if (!row) continue;
    const [, layer, allowed] = row as unknown as [string, string, string];
    const code = new Set<string>();
    const types = new Set<string>();
    if (allowed === "everything") code.add("*");
    else if (allowed !== "nothing") {
      for (const part of allowed.split(",").map((p) => p.trim())) {
        const typesOnly = /^([a-z]+) \(types only\)$/.exec(part);
        if (typesOnly) types.add(typesOnly[1]!);
        else if (/^[a-z]+$/.test(part)) code.add(part);
        else throw new SyntaxError(`Cannot read the imports of src/${layer}/: "${part}"`);
      }
    }
    for (const name of code) types.add(name);
    rules.set(layer, { code, types });
  }
  return rules;
}

/** `src/host/x.ts` → `host`; `plugins/local/x.ts` → `plugin:local`; `main.ts` → `main`. */
export function layerOf(path: string): string {
  const [top, name] = path.split("/");
  if (top === "src" && name && path.split("/").length > 2) return name;
  if (top === "plugins" && name) return `plugin:${name}`;
  return path === "main.ts" ? "main" : `other:${path}`;
}

/**
 * Every import that points against the layers: a layer importing one its rule does not
 * list (or only its types, where it lists "types only"); a plugin importing anything but
 * its own folder and `src/sdk/`. `main.ts` may import every layer.
 */
export function layerViolations(graph: ModuleGraph, rules: LayerRules): string[] {
  const problems: string[] = [];
  for (const [from, imports] of [...graph].sort(([a], [b]) => a.localeCompare(b))) {
    const source = layerOf(from);
    for (const [kind, targets] of [["code", imports.code], ["types", imports.types]] as const) {
      for (const to of [...targets].sort()) {
        const target = layerOf(to);
        if (target === source || allowed(source, target, kind, rules)) continue;
        problems.push(`${from} imports ${kind === "types" ? "types of " : ""}${to}`);
      }
    }
  }
  return problems;
}

function allowed(source: string, target: string, kind: "code" | "types", rules: LayerRules) {
  if (source === "main") return true;
  if (source.startsWith("plugin:")) return target === "sdk";
  const rule = rules.get(source);
  if (!rule) return false;
  const names = kind === "code" ? rule.code : rule.types;
  return names.has("*") || names.has(target);
}
