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
    'Plugin "x" is not permitted to connect to "127.0.0.1:9" (add "127.0.0.1:9" to permissions.net in plugin.yaml)',
  ],
  [
    'Requires env access to "HOME", run again with the --allow-env flag',
    'Plugin "x" is not permitted to read the environment variable "HOME" (add "HOME" to permissions.env in plugin.yaml)',
  ],
  [
    'Requires run access to "/bin/sh", run again with the --allow-run flag',
    'Plugin "x" is not permitted to run "/bin/sh" (add "/bin/sh" to permissions.run in plugin.yaml)',
  ],
  [
    'Requires sys access to "hostname", run again with the --allow-sys flag',
    'Plugin "x" is not permitted to query system information "hostname" (add "hostname" to permissions.sys in plugin.yaml)',
  ],
  [
    'Requires read access to "/opt/data/queue.json", run again with the --allow-read flag',
    'Plugin "x" is not permitted to read "/opt/data/queue.json" (add "/opt/data/queue.json" to permissions.read in plugin.yaml)',
  ],
  [
    'Requires sys access to "setPriority", run again with the --allow-sys flag',
    'Plugin "x" is not permitted to query system information "setPriority"',
  ],
  [
    'Requires net access to "0.0.0.0:80", run again with the --allow-net flag',
    'Plugin "x" is not permitted to connect to "0.0.0.0:80"',
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
    'Plugin "x" is not permitted to read "/opt/other/mod.ts" (add "/opt/other/mod.ts" to permissions.read in plugin.yaml)',
  );
});

Deno.test("explainRefusal names no manifest key for what no manifest may grant", () => {
  const refusal = (text: string) => new Deno.errors.NotCapable(`${text}, run again`);
  const scratch = { scratch: "/var/lib/launchbox" };
  const explain = (text: string) => (explainRefusal(refusal(text), "x", scratch) as Error).message;
  assert.equal(
    explain('Requires read access to "/var/lib/launchbox/jobs.sqlite"'),
    'Plugin "x" is not permitted to read "/var/lib/launchbox/jobs.sqlite"',
  );
  assert.equal(
    explain('Requires read access to "/proc/1/root"'),
    'Plugin "x" is not permitted to read "/proc/1/root"',
  );
  assert.equal(explain('Requires read access to "/"'), 'Plugin "x" is not permitted to read "/"');
  assert.equal(
    explain('Requires env access to "1X"'),
    'Plugin "x" is not permitted to read the environment variable "1X"',
  );
});

Deno.test("explainRefusal leaves other errors and non-errors alone", () => {
  const other = new Error("boom");
  assert.equal(explainRefusal(other, "x"), other);
  assert.equal(explainRefusal("text", "x"), "text");
});
