/**
 * The project's module graph as Deno resolves it (`deno info --json`, with the project's
 * import map), limited to the project's own non-test modules: `main.ts`, `src/`, `plugins/`.
 *
 * @module
 */
import { relative } from "node:path";

/** What one module imports from the project: paths relative to the root. */
export interface ModuleImports {
  /** Imports that load code (static, dynamic, or re-exports). */
  readonly code: Set<string>;
  /** `import type` / `export type` imports only: no code at run time. */
  readonly types: Set<string>;
}

/** Module path (relative to the root) → what it imports from the project. */
export type ModuleGraph = Map<string, ModuleImports>;

const SOURCES = ["src", "plugins"];

/** Every non-test `.ts` module of the project, relative to `root`. */
export function projectModules(root: string): string[] {
  const found = ["main.ts"];
  const walk = (dir: string) => {
    for (const entry of Deno.readDirSync(`${root}${dir}`)) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) walk(path);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith("_test.ts")) found.push(path);
    }
  };
  for (const dir of SOURCES) walk(dir);
  return found.sort();
}

interface InfoDependency {
  code?: { specifier: string };
  type?: { specifier: string };
}

interface InfoOutput {
  modules: { specifier: string; dependencies?: InfoDependency[] }[];
}

/**
 * Resolves every module of `modules` with `deno info --json` from one temporary root that
 * imports them all, and returns the edges between project modules.
 */
export async function moduleGraph(root: string, modules: string[]): Promise<ModuleGraph> {
  const dir = await Deno.makeTempDir({ prefix: "launchbox-graph-" });
  try {
    const entry = `${dir}/all_modules.ts`;
    const lines = modules.map((path) => `import ${JSON.stringify(`file://${root}${path}`)};`);
    await Deno.writeTextFile(entry, lines.join("\n") + "\n");
    const args = ["info", "--json", "--no-lock", "--config", `${root}deno.json`, entry];
    const output = await new Deno.Command(Deno.execPath(), { args, stdin: "null" }).output();
    const stderr = new TextDecoder().decode(output.stderr);
    if (!output.success) throw new Error(`deno info failed: ${stderr}`);
    const info = JSON.parse(new TextDecoder().decode(output.stdout)) as InfoOutput;
    return edges(info, root, new Set(modules));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function edges(info: InfoOutput, root: string, project: Set<string>): ModuleGraph {
  const local = (specifier: string | undefined) => {
    if (!specifier?.startsWith("file://")) return undefined;
    const path = relative(root, new URL(specifier).pathname);
    return project.has(path) ? path : undefined;
  };
  const graph: ModuleGraph = new Map();
  for (const module of info.modules) {
    const from = local(module.specifier);
    if (!from) continue;
    const imports: ModuleImports = { code: new Set(), types: new Set() };
    for (const dependency of module.dependencies ?? []) {
      const code = local(dependency.code?.specifier);
      const type = local(dependency.type?.specifier);
      if (code) imports.code.add(code);
      else if (type) imports.types.add(type);
    }
    graph.set(from, imports);
  }
  return graph;
}
