import assert from "node:assert/strict";
import { explainRefusal } from "./friendly_error.ts";

const REFUSALS: [string, string][] = [
  [
    'Requires read access to "/etc/shadow", run again with the --allow-read flag',
    'Plugin "x" is not permitted to read "/etc/shadow"',
  ],
  [
    'Requires write access to "/tmp/a.txt", specify the required permissions during compilation using `deno compile --allow-write`',
    'Plugin "x" is not permitted to write "/tmp/a.txt"',
  ],
  [
    'Requires net access to "127.0.0.1:9", run again with the --allow-net flag',
    'Plugin "x" is not permitted to connect to "127.0.0.1:9"',
  ],
  [
    'Requires env access to "HOME", run again with the --allow-env flag',
    'Plugin "x" is not permitted to read the environment variable "HOME"',
  ],
  [
    'Requires run access to "/bin/sh", run again with the --allow-run flag',
    'Plugin "x" is not permitted to run "/bin/sh"',
  ],
  [
    "Requires env access, run again with the --allow-env flag",
    'Plugin "x" is not permitted to read the whole environment',
  ],
  [
    "Requires run access, run again with the --allow-run flag",
    'Plugin "x" is not permitted to signal processes or run any program',
  ],
  [
    "Deno.symlinkSync() requires unscoped --allow-read and --allow-write permissions; path-scoped grants (e.g. --allow-write=<path>) are not supported",
    'Plugin "x" is not permitted to create a symbolic link',
  ],
  [
    "Can't escalate parent thread permissions",
    'Plugin "x" is not permitted to start a Worker with more permissions than its own',
  ],
  [
    "JSR package manifest for '@std/fmt' failed to load. A remote specifier was requested: \"https://jsr.io/@std/fmt/meta.json\", but --no-remote is specified.",
    'Plugin "x" is not permitted to import "https://jsr.io/@std/fmt/meta.json"',
  ],
  [
    "npm specifiers were requested; but --no-npm is specified",
    'Plugin "x" is not permitted to import npm packages',
  ],
];

for (const [deno, explained] of REFUSALS) {
  Deno.test(`explainRefusal turns "${deno.slice(0, 40)}…" into a sentence naming the plugin`, () => {
    const error = explainRefusal(new Deno.errors.NotCapable(deno), "x") as Error;
    assert.equal(error.name, "NotCapable");
    assert.equal(error.message, explained);
    assert.ok(error.cause instanceof Deno.errors.NotCapable, "the original is kept as cause");
  });
}

Deno.test("explainRefusal also explains a refused dynamic import (a TypeError)", () => {
  const refused = new TypeError('Requires read access to "/opt/other/mod.ts", run again');
  assert.equal(
    (explainRefusal(refused, "x") as Error).message,
    'Plugin "x" is not permitted to read "/opt/other/mod.ts"',
  );
});

Deno.test("explainRefusal leaves other errors and non-errors alone", () => {
  const other = new Error("boom");
  assert.equal(explainRefusal(other, "x"), other);
  assert.equal(explainRefusal("text", "x"), "text");
});
