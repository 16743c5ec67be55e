/**
 * Issue #11 item 3: a run grant that reaches Deno itself hands the plugin the host's whole
 * permission ceiling: `/proc/self/exe`, a link to `deno`, the real path written as
 * `.../deno/.`, `/usr/bin/env` (then `env deno eval …`), a shell script, or an innocent
 * name linked to a trampoline. Run grants are resolved before the rules; trampolines need
 * `allow_trampolines`, which the host log and `check` report as warnings.
 */
import assert from "node:assert/strict";
import { runLaunchbox, withHost } from "../_support/host_process.ts";
import { submit } from "../_support/requests.ts";
import {
  installPlugin,
  LEVELS,
  pluginsRoot,
  type Probe,
  type RefusedCase,
  testRefusedAtStart,
} from "./_hostile_plugins.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const DENO = await Deno.realPath(Deno.execPath());
const EVAL = "eval|console.log(Deno.readTextFileSync('/etc/shadow').length)";
/** Outside any plugin folder, so the link rules of discovery do not catch these first. */
const OUTSIDE = await Deno.realPath(await Deno.makeTempDir({ prefix: "launchbox-run-" }));
await Deno.chmod(OUTSIDE, 0o755);
await Deno.symlink(DENO, `${OUTSIDE}/helper`);
await Deno.symlink("/usr/bin/env", `${OUTSIDE}/tool`);
await Deno.mkdir(`${OUTSIDE}/open`, { mode: 0o777 });
await Deno.chmod(`${OUTSIDE}/open`, 0o777);
await Deno.symlink("/usr/bin/ls", `${OUTSIDE}/open/ls`);
addEventListener("unload", () => Deno.removeSync(OUTSIDE, { recursive: true }));

const runs = (entry: string, extra: Probe = {}): Probe => ({
  ...extra,
  manifest: { '"@RUN@"': JSON.stringify(entry) },
});

/** [plugin name, probe, config, what the refusal says]. */
const PROBES: RefusedCase[] = [
  [
    "runs_proc_self_exe",
    runs("/proc/self/exe"),
    ["program=/proc/self/exe", `args=${EVAL}`],
    /"\/proc\/self\/exe" is under \/proc/,
  ],
  [
    "runs_deno_link",
    runs(`${OUTSIDE}/helper`),
    [`program=${OUTSIDE}/helper`, `args=${EVAL}`],
    /"[^"]*\/helper" is Launchbox or Deno itself/,
  ],
  [
    "runs_deno_dot",
    runs(`${DENO}/.`),
    [`program=${DENO}`, `args=${EVAL}`],
    /runs Launchbox or Deno itself/,
  ],
  [
    "runs_env_deno",
    runs("/usr/bin/env"),
    ["program=/usr/bin/env", `args=${DENO}|${EVAL}`],
    /"\/usr\/bin\/env" is a program that runs other programs by name \(Deno included\); list it under allow_trampolines/,
  ],
  [
    "runs_env_under_another_name",
    runs(`${OUTSIDE}/tool`),
    [`program=${OUTSIDE}/tool`, `args=${DENO}|${EVAL}`],
    /"[^"]*\/tool" is a program that runs other programs by name/,
  ],
  [
    "runs_program_others_can_swap",
    runs(`${OUTSIDE}/open/ls`),
    [`program=${OUTSIDE}/open/ls`, "args=/"],
    /can be replaced by another user: "[^"]*\/open" is writable by group or others \(mode 777\)/,
  ],
  [
    "runs_shell_script_deno",
    runs("${plugin_dir}/bin/tool", {
      files: { "bin/tool": `#!/bin/sh\nexec ${DENO} eval "console.log(1)"\n` },
    }),
    ["program=@HERE@/bin/tool"],
    /"\$\{plugin_dir\}\/bin\/tool" starts through \/bin\/sh \(\/usr\/bin\/dash\), which runs other programs|starts through \/bin\/sh, which runs other programs/,
  ],
];

await testRefusedAtStart("runs_granted_program", "the program", PROBES);

Deno.test(
  "Host serves a plugin that opted into a trampoline and logs it as a warning",
  opts,
  async () => {
    await using root = await pluginsRoot();
    const probe = runs("/usr/bin/env");
    probe.manifest!["limits:"] = 'allow_trampolines: ["/usr/bin/env"]\nlimits:';
    await installPlugin(root.dir, "runs_granted_program", {
      name: "opts_into_env",
      level: LEVELS[0]!,
      probe,
    });
    const config = ["program=/usr/bin/env", "args=echo|contained"];
    await withHost({ pluginsDir: root.dir, pluginName: "opts_into_env", config }, async (host) => {
      await host.client.bootstrap();
      const job = await submit(host.client, "alice", { name: "escape" });
      assert.equal(job.statusMessage, "contained");
      await host.stop();
      const warning = (await host.stderr()).split("\n").map((line) => {
        try {
          return JSON.parse(line) as Record<string, string>;
        } catch {
          return {};
        }
      }).find((entry) => entry.level === "warn" && /allow_trampolines/.test(entry.risk ?? ""));
      assert.ok(warning, "the host logged the opt-in as a warning");
      assert.equal(warning.plugin, "opts_into_env");
      assert.match(
        warning.risk!,
        /^allow_trampolines \/usr\/bin\/env: starts any program .* Deno included/,
      );
    });
  },
);

Deno.test(
  "check refuses every probe at every level and says granted programs run outside the sandbox",
  opts,
  async () => {
    await using root = await pluginsRoot();
    for (const level of LEVELS) {
      for (const [name, probe] of PROBES) {
        const full = `${name}_${level.label.replace(/\W/g, "_")}`;
        await installPlugin(root.dir, "runs_granted_program", { name: full, level, probe });
      }
    }
    await installPlugin(root.dir, "runs_granted_program", {
      name: "runs_ls",
      level: LEVELS[2]!,
      probe: runs("/usr/bin/ls"),
    });
    const { code, stdout } = await runLaunchbox(["check", `--plugins-dir=${root.dir}`]);
    assert.equal(code, 1);
    assert.match(
      stdout,
      new RegExp(`${PROBES.length * LEVELS.length} invalid manifests \\(\\d+ problems\\):`),
    );
    assert.match(
      stdout,
      /^ {2}risk {2}run \/usr\/bin\/ls: this program runs outside the Deno sandbox with the host's uid \(root when the host runs as root\)/m,
    );
    assert.match(stdout, /^ {2}risk {2}run_as host: /m);
    const json = JSON.parse(
      (await runLaunchbox(["check", `--plugins-dir=${root.dir}`, "--json"])).stdout,
    ) as { plugins: { name: string; risks: { field: string; message: string }[] }[] };
    const ls = json.plugins.find((plugin) => plugin.name === "runs_ls")!;
    assert.deepEqual(ls.risks.map((risk) => risk.field), ["run_as", "run"]);
    assert.match(ls.risks[1]!.message, /runs outside the Deno sandbox with the host's uid/);
  },
);
