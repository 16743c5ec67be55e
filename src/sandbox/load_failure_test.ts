import assert from "node:assert/strict";
import { describeLoadFailure, missingDefinition } from "./load_failure.ts";

/** Imports a module written to a temporary folder and returns what the import threw. */
async function importFailure(files: Record<string, string>): Promise<[unknown, string]> {
  const dir = await Deno.makeTempDir({ prefix: "launchbox-load-" });
  for (const [name, text] of Object.entries(files)) {
    await Deno.writeTextFile(`${dir}/${name}`, text);
  }
  try {
    await import(`file://${dir}/mod.ts`);
  } catch (error) {
    return [error, `${dir}/mod.ts`];
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  throw new Error("The import did not fail");
}

Deno.test("describeLoadFailure names the line of a syntax error and says to fix the syntax", async () => {
  const [error, entry] = await importFailure({ "mod.ts": "export default 1;\nconst x = ;\n" });
  const failure = describeLoadFailure(error, entry);
  assert.equal(failure.file, entry);
  assert.equal(failure.line, 2);
  assert.match(failure.message, /mod\.ts:2: syntax error: Expression expected \(fix the syntax\)$/);
});

Deno.test("describeLoadFailure says a missing relative import is no such file", async () => {
  const [error, entry] = await importFailure({
    "mod.ts": 'import { x } from "./missing.ts";\nexport default x;\n',
  });
  const failure = describeLoadFailure(error, entry);
  assert.equal(failure.line, 1);
  assert.match(
    failure.message,
    /cannot import ".*\/missing\.ts": no such file \(fix the import\)$/,
  );
});

Deno.test("describeLoadFailure names an export the imported module does not have", async () => {
  const [error, entry] = await importFailure({
    "mod.ts": 'import { nope } from "./other.ts";\nexport default nope;\n',
    "other.ts": "export const yes = 1;\n",
  });
  const failure = describeLoadFailure(error, entry);
  assert.equal(failure.line, 1);
  assert.match(failure.message, /cannot import "nope" from "\.\/other\.ts": it has no such export/);
});

Deno.test("describeLoadFailure points an unmapped bare specifier at the SDK specifiers", async () => {
  const [error, entry] = await importFailure({
    "mod.ts": 'import { x } from "@launchbox/nosuch";\nexport default x;\n',
  });
  const failure = describeLoadFailure(error, entry);
  assert.equal(failure.line, 1);
  assert.match(
    failure.message,
    /cannot import "@launchbox\/nosuch": not a relative path; .*"@launchbox\/sdk"/,
  );
});

Deno.test("describeLoadFailure gives the line of an error thrown while the module loads", async () => {
  const [error, entry] = await importFailure({
    "mod.ts": 'export default 1;\n\nthrow new RangeError("broken on purpose");\n',
  });
  const failure = describeLoadFailure(error, entry);
  assert.equal(failure.line, 3);
  assert.match(failure.message, /mod\.ts:3: the module threw RangeError: broken on purpose/);
});

Deno.test("describeLoadFailure turns a refused read of an import into fix-the-import, not a permission", () => {
  // The message deno gives a Worker whose read permission does not cover the import.
  const error = new TypeError(
    'Requires read access to "/home/me/src/sdk/mod.ts", run again with the --allow-read flag\n' +
      "    at file:///home/me/plugins/q/mod.ts:1:24",
  );
  const failure = describeLoadFailure(error, "/home/me/plugins/q/mod.ts");
  assert.equal(failure.message.includes("permit"), false);
  assert.equal(
    failure.message,
    '/home/me/plugins/q/mod.ts:1: cannot import "/home/me/src/sdk/mod.ts": a plugin imports files ' +
      'of its own folder by relative path and the SDK as "@launchbox/sdk" or ' +
      '"@launchbox/sdk/airflow" (fix the import)',
  );
});

Deno.test("missingDefinition says which default export to add", () => {
  assert.match(
    missingDefinition("/p/mod.ts", "launcher").message,
    /^\/p\/mod\.ts: does not export a launcher plugin \(add "export default definePlugin\(…\)"/,
  );
});
