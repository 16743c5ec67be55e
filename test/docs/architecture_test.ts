import assert from "node:assert/strict";
import { backtickedPaths, existingPart, exists, relativeLinks, ROOT } from "./_doc_paths.ts";

const DOC = `${ROOT}docs/architecture.md`;
const text = Deno.readTextFileSync(DOC);

Deno.test("docs/architecture.md names only paths that exist in the checkout", () => {
  const paths = backtickedPaths(text);
  assert.ok(paths.length >= 40, `expected the document to name its files, found ${paths.length}`);
  const missing = paths.filter((path) => !exists(existingPart(path)));
  assert.deepEqual(missing, [], `paths named in docs/architecture.md that do not exist`);
});

Deno.test("docs/architecture.md mentions every top-level directory under src/", () => {
  const dirs = [...Deno.readDirSync(`${ROOT}src`)]
    .filter((entry) => entry.isDirectory)
    .map((entry) => `src/${entry.name}/`)
    .sort();
  assert.ok(dirs.length > 0, "src/ has no directories");
  const named = new Set(backtickedPaths(text));
  const unnamed = dirs.filter((dir) => !named.has(dir));
  assert.deepEqual(unnamed, [], "src/ directories docs/architecture.md does not mention");
});

Deno.test("docs/architecture.md links only to files that exist", () => {
  const broken = relativeLinks(text).filter((link) => !exists(link, `${ROOT}docs/`));
  assert.deepEqual(broken, []);
});

Deno.test("docs/architecture.md stays short enough to read (under 350 lines)", () => {
  const lines = text.split("\n").length;
  assert.ok(lines < 350, `docs/architecture.md has ${lines} lines`);
});

Deno.test("backtickedPaths finds inline paths outside code blocks and keeps placeholders", () => {
  const sample = [
    "See `src/host/` and `plugins/<name>/mod.ts`, not `deno test` or `${scratch}/jobs.sqlite`.",
    "```sh",
    "cat `src/not/a/reference.ts`",
    "```",
    "Also `bench/run.ts` and `src/host/` again.",
  ].join("\n");
  assert.deepEqual(backtickedPaths(sample), ["src/host/", "plugins/<name>/mod.ts", "bench/run.ts"]);
  assert.equal(existingPart("plugins/<name>/mod.ts"), "plugins/");
  assert.equal(existingPart("src/cli/<name>_command.ts"), "src/cli/");
  assert.equal(existingPart("src/sandbox/rpc.ts"), "src/sandbox/rpc.ts");
});

Deno.test("exists tells a missing file and a file named as a folder from real ones", () => {
  assert.equal(exists("src/sandbox/rpc.ts"), true);
  assert.equal(exists("src/sandbox/"), true);
  assert.equal(exists("src/sandbox/rpc.ts/"), false);
  assert.equal(exists("src/sandbox/no_such_file.ts"), false);
  assert.deepEqual(relativeLinks("[a](../SECURITY.md#x) [b](https://x.example) [c](#top)"), [
    "../SECURITY.md",
  ]);
});
