import assert from "node:assert/strict";
import { backtickedPaths, existingPart, exists, relativeLinks, ROOT } from "./_doc_paths.ts";

const text = Deno.readTextFileSync(`${ROOT}README.md`);

Deno.test("README.md names only checkout paths that exist", () => {
  const paths = backtickedPaths(text);
  assert.ok(paths.length > 0, "README.md names no paths");
  assert.deepEqual(paths.filter((path) => !exists(existingPart(path))), []);
});

Deno.test("README.md links only to files that exist", () => {
  const links = relativeLinks(text);
  assert.ok(links.includes("docs/architecture.md"), "README.md does not link the architecture");
  assert.deepEqual(links.filter((link) => !exists(link)), []);
});

Deno.test("README.md points at no document outside the repository (DESIGN.md)", () => {
  assert.ok(
    !text.includes("DESIGN.md"),
    "README.md names DESIGN.md, which is not in the repository",
  );
});

Deno.test("README.md's make targets exist in the Makefile", () => {
  const makefile = Deno.readTextFileSync(`${ROOT}Makefile`);
  const targets = new Set([...makefile.matchAll(/^([a-z][a-z-]*):/gm)].map((match) => match[1]));
  const named = new Set(
    [...text.matchAll(/(?:`|^)make ([a-z][a-z-]*)/gm)].map((match) => match[1]),
  );
  assert.ok(named.size > 0, "README.md names no make targets");
  assert.deepEqual([...named].filter((target) => !targets.has(target)), []);
});
