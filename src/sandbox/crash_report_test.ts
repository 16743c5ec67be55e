import assert from "node:assert/strict";
import { CRASH_REPORT_MAX_CHARS } from "./constants.ts";
import { crashReport, describeCrash, firstPluginFrame } from "./crash_report.ts";

const PLUGIN = { name: "x", dir: "/opt/plugins/x" };
const STACK = [
  'NotCapable: Requires sys access to "hostname", run again with the --allow-sys flag',
  "    at Object.hostname (ext:deno_os/30_os.js:47:10)",
  "    at file:///opt/launchbox/src/sandbox/worker_entry.ts:12:3",
  "    at poll (file:///opt/plugins/x/lib/queue%20poll.ts:9:31)",
  "    at file:///opt/plugins/x/mod.ts:3:5",
].join("\n");

Deno.test("crashReport explains a refusal and names the first frame in the plugin's files", () => {
  const error = new Deno.errors.NotCapable(
    'Requires sys access to "hostname", run again with the --allow-sys flag',
  );
  error.stack = STACK;
  const report = crashReport(error, PLUGIN);
  assert.deepEqual(report, {
    error: {
      name: "NotCapable",
      message: 'Plugin "x" is not permitted to query system information "hostname" ' +
        '(add "hostname" to permissions.sys in plugin.yaml)',
    },
    at: "/opt/plugins/x/lib/queue poll.ts:9:31",
  });
  assert.equal(
    describeCrash(report),
    'NotCapable: Plugin "x" is not permitted to query system information "hostname" ' +
      '(add "hostname" to permissions.sys in plugin.yaml) (at /opt/plugins/x/lib/queue poll.ts:9:31)',
  );
});

Deno.test("crashReport reports a rejection with a value that is not an Error", () => {
  assert.deepEqual(crashReport({ code: 7 }, PLUGIN), {
    error: { name: "Error", message: 'a promise was rejected with {"code":7}' },
  });
  assert.equal(
    describeCrash(crashReport("gone", PLUGIN)),
    'Error: a promise was rejected with "gone"',
  );
});

Deno.test("crashReport cuts a long message to the report limit", () => {
  const report = crashReport(new RangeError("x".repeat(5_000)), PLUGIN);
  assert.equal(report.error.message.length, CRASH_REPORT_MAX_CHARS);
  assert.ok(report.error.message.endsWith("…"));
  assert.ok(
    describeCrash({ ...report, at: "/opt/plugins/x/mod.ts:1:1" }).length <= CRASH_REPORT_MAX_CHARS,
  );
});

Deno.test("firstPluginFrame ignores frames outside the plugin's folder and folders that share its prefix", () => {
  const stack =
    "Error: x\n    at file:///opt/plugins/x2/mod.ts:1:1\n    at file:///opt/launchbox/a.ts:2:2";
  assert.equal(firstPluginFrame(stack, "/opt/plugins/x"), undefined);
  assert.equal(firstPluginFrame(undefined, "/opt/plugins/x"), undefined);
  assert.equal(firstPluginFrame(STACK, "/opt/plugins/x/"), "/opt/plugins/x/lib/queue poll.ts:9:31");
});
