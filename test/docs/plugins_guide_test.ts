import assert from "node:assert/strict";
import { runLaunchbox } from "../_support/host_process.ts";

const DOCS = new URL("../../docs/", import.meta.url).pathname;
const GUIDES = ["plugins.md", "testing.md"];

Deno.test("The TypeScript snippets of docs/plugins.md and docs/testing.md type-check in a plugin made by launchbox new", async () => {
  const parent = await Deno.makeTempDir({ prefix: "launchbox-guide-" });
  try {
    const made = await runLaunchbox(["new", "myqueue", "--dir", parent]);
    assert.equal(made.code, 0, made.stderr);
    const dir = `${parent}/myqueue`;
    for (const guide of GUIDES) await Deno.copyFile(`${DOCS}${guide}`, `${dir}/${guide}`);
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["check", "--doc-only", ...GUIDES],
      cwd: dir,
      stdin: "null",
      env: { NO_COLOR: "1" },
    }).output();
    const text = new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
    assert.equal(output.code, 0, text);
    for (const guide of GUIDES) {
      assert.match(text, new RegExp(`Check ${guide.replace(".", "\\.")}#\\d+-\\d+\\.ts`));
    }
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});
