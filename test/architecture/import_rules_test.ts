import assert from "node:assert/strict";
import { findCycles } from "./_cycles.ts";
import { layerViolations, parseLayerRules } from "./_layers.ts";
import { type ModuleGraph, moduleGraph, projectModules } from "./_module_graph.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const ARCHITECTURE = Deno.readTextFileSync(`${ROOT}docs/architecture.md`);

/** A graph from `"a.ts": ["b.ts", "type:c.ts"]` lists. */
function graphOf(edges: Record<string, string[]>): ModuleGraph {
  const graph: ModuleGraph = new Map();
  for (const [from, targets] of Object.entries(edges)) {
    const code = new Set(targets.filter((t) => !t.startsWith("type:")));
    const types = new Set(targets.filter((t) => t.startsWith("type:")).map((t) => t.slice(5)));
    graph.set(from, { code, types });
  }
  return graph;
}

let project: Promise<ModuleGraph> | undefined;
const projectGraph = () => project ??= moduleGraph(ROOT, projectModules(ROOT));

Deno.test("No import cycle joins the project's modules (main.ts, src/, plugins/)", async () => {
  const graph = await projectGraph();
  assert.ok(graph.size > 200, `expected the whole project, resolved ${graph.size} modules`);
  assert.ok(graph.has("main.ts") && graph.has("src/sandbox/remote_plugin.ts"));
  const cycles = findCycles(graph).map((cycle) => cycle.join(" → "));
  assert.deepEqual(cycles, [], "import cycles");
});

Deno.test("Imports follow the layers of docs/architecture.md; plugins import only the SDK", async () => {
  const rules = parseLayerRules(ARCHITECTURE);
  assert.deepEqual([...rules.keys()].sort(), [
    "airflow",
    "cli",
    "framing",
    "host",
    "launcher",
    "log",
    "sandbox",
    "sdk",
  ]);
  assert.deepEqual(layerViolations(await projectGraph(), rules), [], "imports against the layers");
});

Deno.test("findCycles reports each cycle once as the path that closes it, type imports too", () => {
  const graph = graphOf({
    "a.ts": ["b.ts"],
    "b.ts": ["c.ts", "d.ts"],
    "c.ts": ["a.ts"],
    "d.ts": [],
    "e.ts": ["type:f.ts"],
    "f.ts": ["e.ts"],
    "g.ts": ["g.ts"],
  });
  assert.deepEqual(findCycles(graph).sort(), [
    ["a.ts", "b.ts", "c.ts", "a.ts"],
    ["e.ts", "f.ts", "e.ts"],
    ["g.ts", "g.ts"],
  ]);
  assert.deepEqual(findCycles(graphOf({ "a.ts": ["b.ts"], "b.ts": ["c.ts"], "c.ts": [] })), []);
});

Deno.test("parseLayerRules reads the table; layerViolations flags imports up the layers", () => {
  const rules = parseLayerRules([
    "| directory | what | imports from the project |",
    "| `src/sdk/` | plugin API | nothing |",
    "| `src/host/` | host | launcher (types only), sdk |",
    "| `src/launcher/` | protocol | sdk |",
    "| `src/cli/` | modes | everything |",
  ].join("\n"));
  assert.deepEqual([...rules.get("host")!.code], ["sdk"]);
  assert.deepEqual([...rules.get("host")!.types].sort(), ["launcher", "sdk"]);
  const graph = graphOf({
    "src/sdk/mod.ts": ["src/host/x.ts", "src/sdk/types.ts"],
    "src/host/x.ts": ["type:src/launcher/backend.ts", "src/launcher/codec.ts", "src/sdk/mod.ts"],
    "src/cli/main.ts": ["src/host/x.ts", "src/launcher/codec.ts"],
    "plugins/local/mod.ts": ["src/sdk/mod.ts", "plugins/local/job.ts", "src/host/x.ts"],
    "main.ts": ["src/cli/main.ts"],
  });
  assert.deepEqual(layerViolations(graph, rules), [
    "plugins/local/mod.ts imports src/host/x.ts",
    "src/host/x.ts imports src/launcher/codec.ts",
    "src/sdk/mod.ts imports src/host/x.ts",
  ]);
  assert.throws(
    () => parseLayerRules("| `src/x/` | y | framing or log |"),
    /Cannot read the imports of src\/x\/: "framing or log"/,
  );
});
