import assert from "node:assert/strict";
import { parse } from "yaml";
import { parseManifestYaml } from "./_manifest_yaml.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

async function manifests(): Promise<string[]> {
  const found: string[] = [];
  for (
    const dir of [
      "plugins",
      "test/fixtures/plugins",
      "test/fixtures/bundles",
      "bench/fixtures/plugins",
      "bench/fixtures/bundles",
    ]
  ) {
    for await (const entry of Deno.readDir(`${ROOT}${dir}`)) {
      const file = `${ROOT}${dir}/${entry.name}/plugin.yaml`;
      if (await Deno.stat(file).then(() => true, () => false)) found.push(file);
    }
  }
  return found;
}

Deno.test("parseManifestYaml reads every manifest in the repository exactly as the YAML library does", async () => {
  const files = await manifests();
  assert.ok(files.length > 20);
  for (const file of files) {
    const text = await Deno.readTextFile(file);
    assert.deepEqual(parseManifestYaml(text)?.value, parse(text), file);
  }
});

Deno.test("parseManifestYaml types scalars as YAML 1.2 core does and keeps lines", () => {
  const doc = parseManifestYaml(
    'a: 1.10\nb: "1.10"\nc: yes\nd: true\ne: ~\nf:\n  - x # note\n  - "y"\ng: { h: 2, i: \'j\' }\n',
  )!;
  assert.deepEqual(doc.value, {
    a: 1.1,
    b: "1.10",
    c: "yes",
    d: true,
    e: null,
    f: ["x", "y"],
    g: { h: 2, i: "j" },
  });
  assert.equal(doc.lineOf("f[1]"), 8);
  assert.equal(doc.lineOf("g.i"), 9);
});

const UNSUPPORTED = [
  ["an anchor", "a: &x 1\nb: *x\n"],
  ["a block scalar", "a: |\n  text\n"],
  ["a tab", "a:\n\tb: 1\n"],
  ["a duplicate key", "a: 1\na: 2\n"],
  ["braces in a plain flow item", "read: [${plugin_dir}]\n"],
  ["an unclosed list", "a: [1, 2\n"],
  ["a document marker", "---\na: 1\n"],
  ["wrong indentation", "a:\n    b: 1\n  c: 2\n"],
];

for (const [what, text] of UNSUPPORTED) {
  Deno.test(`parseManifestYaml leaves ${what} to the full parser`, () => {
    assert.equal(parseManifestYaml(text!), undefined);
  });
}
