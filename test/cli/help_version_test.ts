import assert from "node:assert/strict";
import { runLaunchbox } from "../_support/host_process.ts";
import denoJson from "../../deno.json" with { type: "json" };
import { HELP_TEXT, VERSION_TEXT } from "../../src/cli/help.ts";

Deno.test("launchbox --version prints the version to stdout and exits 0", async () => {
  for (const args of [["--version"], ["version"], ["-V"]]) {
    const { code, stdout, stderr } = await runLaunchbox(args);
    assert.equal(code, 0, `launchbox ${args.join(" ")} failed:\n${stderr}`);
    assert.equal(stdout, VERSION_TEXT);
    assert.match(stdout, new RegExp(`^launchbox ${denoJson.version.replaceAll(".", "\\.")} `));
    assert.match(stdout, /Launcher Plugin API 3\.6/);
    assert.equal(stderr, "");
  }
});

Deno.test("launchbox --help prints the usage to stdout and exits 0", async () => {
  for (const args of [["--help"], ["help"], ["-h"], ["--plugin-name=x", "--help"]]) {
    const { code, stdout, stderr } = await runLaunchbox(args);
    assert.equal(code, 0, `launchbox ${args.join(" ")} failed:\n${stderr}`);
    assert.equal(stdout, HELP_TEXT);
    assert.match(stdout, /^Usage:$/m);
    assert.match(stdout, /--plugin-name NAME/);
    assert.equal(stderr, "");
  }
});
