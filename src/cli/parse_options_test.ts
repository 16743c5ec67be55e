import assert from "node:assert/strict";
import type { OptionSpec } from "./option_table.ts";
import { parseOptions } from "./parse_options.ts";
import { UsageError } from "./usage_error.ts";

const TABLE: Record<string, OptionSpec> = {
  flag: { kind: "bool", fallback: "0" },
  name: { kind: "string", fallback: "" },
  count: { kind: "int", fallback: "1" },
};

const parse = (...args: string[]) => Object.fromEntries(parseOptions(args, TABLE));

function refuses(args: string[], message: string): void {
  assert.throws(() => parseOptions(args, TABLE), (error: unknown) => {
    assert.ok(error instanceof UsageError);
    assert.equal(error.message, message);
    return true;
  });
}

Deno.test("parseOptions reads --name=value and --name value", () => {
  assert.deepEqual(parse("--name=a", "--count", "3"), { name: "a", count: "3" });
});

Deno.test("parseOptions keeps everything after the first = as the value", () => {
  assert.deepEqual(parse("--name=a=b", "--count="), { name: "a=b", count: "" });
});

Deno.test("parseOptions takes a bare boolean as 1", () => {
  assert.deepEqual(parse("--flag"), { flag: "1" });
});

Deno.test("parseOptions does not take the next option as a boolean's value", () => {
  assert.deepEqual(parse("--flag", "--name", "x"), { flag: "1", name: "x" });
  assert.deepEqual(parse("--flag", "--count=2"), { flag: "1", count: "2" });
});

Deno.test("parseOptions takes a boolean word after a boolean as its value", () => {
  for (const word of ["0", "1", "true", "False", "yes", "no", "on", "OFF"]) {
    assert.deepEqual(parse("--flag", word), { flag: word });
  }
  assert.deepEqual(parse("--flag=0"), { flag: "0" });
});

Deno.test("parseOptions lets a later value of an option win", () => {
  assert.deepEqual(parse("--count=1", "--count", "2"), { count: "2" });
});

Deno.test("parseOptions names every unknown option in one error", () => {
  refuses(["--bogus"], "Unknown option --bogus (see --help)");
  refuses(
    ["--a=1", "--flag", "--b", "--name=x", "--c"],
    "Unknown options --a, --b, --c (see --help)",
  );
});

Deno.test({
  name: "parseOptions names an unknown option given with a separate value",
}, () => {
  refuses(["--bogus", "5", "--name=x"], "Unknown option --bogus (see --help)");
});

Deno.test("parseOptions refuses positional words", () => {
  refuses(["extra"], 'Unexpected argument "extra" (see --help)');
  refuses(["--name=a", "-x"], 'Unexpected argument "-x" (see --help)');
  refuses(["--flag", "maybe"], 'Unexpected argument "maybe" (see --help)');
});

Deno.test("parseOptions refuses a value option at the end without a value", () => {
  refuses(["--name"], "Option --name needs a value");
  refuses(["--flag", "--count"], "Option --count needs a value");
});

Deno.test("parseOptions returns nothing for no arguments", () => {
  assert.equal(parseOptions([], TABLE).size, 0);
});
