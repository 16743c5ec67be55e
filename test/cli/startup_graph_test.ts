import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url).pathname;

interface GraphModule {
  specifier: string;
  dependencies?: { code?: { specifier?: string } }[];
}

/**
 * What `deno run` reads when `entry` loads: its static imports and every literal
 * `import("…")` (deno builds their graphs too), followed through code dependencies.
 */
async function loadedGraph(entry: string): Promise<string[]> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "--config", `${ROOT}deno.json`, `${ROOT}${entry}`],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  const info = JSON.parse(new TextDecoder().decode(stdout)) as {
    roots: string[];
    modules: GraphModule[];
    redirects: Record<string, string>;
    npmPackages?: Record<string, unknown>;
  };
  const modules = new Map(info.modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>();
  const pending = [...info.roots];
  while (pending.length > 0) {
    const specifier = info.redirects[pending[0]!] ?? pending[0]!;
    pending.shift();
    if (seen.has(specifier)) continue;
    seen.add(specifier);
    for (const dependency of modules.get(specifier)?.dependencies ?? []) {
      if (dependency.code?.specifier) pending.push(dependency.code.specifier);
    }
  }
  return [...seen].map((s) => s.startsWith(`file://${ROOT}`) ? s.slice(ROOT.length + 7) : s);
}

Deno.test("A Launcher host loads no npm package and not the host behind the session before Bootstrap", async () => {
  const graph = await loadedGraph("src/cli/launcher_mode.ts");
  assert.deepEqual(graph.filter((s) => s.startsWith("npm:")), []);
  for (const deferred of ["src/cli/launcher_host.ts", "src/host/job_store/job_store.ts"]) {
    assert.ok(!graph.includes(deferred), `${deferred} is loaded before Bootstrap`);
  }
});

Deno.test("Airflow mode loads only the dialing code before both sockets are dialed", async () => {
  const graph = await loadedGraph("src/cli/airflow_mode.ts");
  assert.deepEqual(graph.filter((s) => s.startsWith("npm:")), []);
  assert.ok(!graph.includes("src/airflow/coordinator.ts"), "the coordinator loads before the dial");
});

Deno.test("The Airflow runtime resolves msgpack only, not the YAML library", async () => {
  const graph = await loadedGraph("src/airflow/coordinator.ts");
  assert.deepEqual(
    [...new Set(graph.map((s) => s.match(/^npm:\/?(@[^/]+\/[^@/]+|[^@/]+)/)?.[1]))].filter(Boolean),
    ["@msgpack/msgpack"],
  );
});

Deno.test("A runner and its Worker load no npm package", async () => {
  for (const entry of ["src/sandbox/runner_main.ts", "src/sandbox/worker_entry.ts"]) {
    const graph = await loadedGraph(entry);
    assert.deepEqual(graph.filter((s) => s.startsWith("npm:")), [], entry);
  }
});
