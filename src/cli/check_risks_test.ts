import assert from "node:assert/strict";
import { parseManifest } from "../sandbox/manifest.ts";
import { pluginRisks } from "./check_risks.ts";

const manifest = (lines: string) =>
  parseManifest(`name: p\nversion: "1"\nentry: mod.ts\nsdk: 1\n${lines}`, "/opt/p/plugin.yaml");

Deno.test("pluginRisks names none isolation and run_as host", async () => {
  const risks = await pluginRisks(await manifest("isolation: none\nrun_as: host\n"));
  assert.deepEqual(risks.map((r) => r.field), ["isolation", "run_as"]);
  assert.match(risks[1]!.message, /root when the host runs as root/);
});

Deno.test("pluginRisks says granted programs run outside the sandbox with the runner's uid", async () => {
  const risks = pluginRisks(
    await manifest(
      'run_as: host\npermissions:\n  run: ["/usr/bin/sbatch", "${plugin_dir}/bin/tool"]\n',
    ),
  );
  const run = risks.find((r) => r.field === "run")!;
  assert.match(run.message, /^run \/usr\/bin\/sbatch, \$\{plugin_dir\}\/bin\/tool \(those under/);
  assert.match(
    run.message,
    /these programs run outside the Deno sandbox with the host's uid \(root/,
  );
});

Deno.test("pluginRisks reports every trampoline opt-in", async () => {
  const risks = pluginRisks(
    await manifest(
      'isolation: session\nrun_as: host\npermissions:\n  run: ["/bin/sh"]\nallow_trampolines: ["/bin/sh"]\n',
    ),
  );
  assert.deepEqual(risks.map((r) => r.field), [
    "run_as",
    "run",
    "allow_trampolines",
  ]);
  assert.match(
    risks[2]!.message,
    /^allow_trampolines \/bin\/sh: starts any program it is told to, Deno included/,
  );
});

Deno.test("pluginRisks has nothing to say about a session-user plugin without programs", async () => {
  const risks = pluginRisks(await manifest("isolation: session\nrun_as: session-user\n"));
  assert.deepEqual(risks, []);
});
